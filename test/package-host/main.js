// A host panel as someone else would write it, in plain CommonJS: it knows only the installed `cloud-billing`
// package and its peers, never this repository. test/package-install.e2e-spec.ts copies it into a fresh project
// beside the packed tarball and starts it with `node main.js`; it prints `listening <port>` once it serves.
// HOST_DATABASE_URL is the MariaDB database to use, HOST_NOW the time its clock stands still at.
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { ScheduleModule } = require('@nestjs/schedule');
const { TypeOrmModule } = require('@nestjs/typeorm');
const { CLOUD_BILLING_ENTITIES, CLOUD_BILLING_MIGRATIONS, CloudBillingModule } = require('cloud-billing');

const done = async () => undefined;

/** The host's auth: the user id in a header; "admin" is the admin. */
const currentUser = {
  fromRequest(request) {
    const id = request.headers['x-host-user'];
    return typeof id === 'string' && id !== '' ? { id, isAdmin: id === 'admin' } : null;
  },
};

const billing = CloudBillingModule.forRoot({
  hypervisorInventory: { listHypervisors: async () => [] },
  instanceProvisioner: { create: done, suspend: done, unsuspend: done, terminate: done },
  billingNotifier: { deliver: done },
  userDirectory: { findUser: async (id) => ({ id, email: `${id}@host.example`, displayName: id }) },
  currentUser,
  // A clock that stands still, so the hours billed do not depend on when the test runs.
  clock: { now: () => new Date(process.env.HOST_NOW) },
});

class HostModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'mysql',
      url: process.env.HOST_DATABASE_URL,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
      entities: CLOUD_BILLING_ENTITIES,
      migrations: CLOUD_BILLING_MIGRATIONS,
      migrationsRun: true,
    }),
    ScheduleModule.forRoot(),
    billing,
  ],
})(HostModule);

async function main() {
  const app = await NestFactory.create(HostModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

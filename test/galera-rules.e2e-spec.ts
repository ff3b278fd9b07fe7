import { DataSource } from 'typeorm';
import { galeraBreaches, tablesOf, unsafeMigrations, unsafeStatementsIn } from './support/galera-rules';
import { startTestApp, TestApp } from './support/test-app';
import { testEngine } from './support/test-database';

/**
 * Galera replicates only InnoDB tables, needs a primary key on each to apply row events on the other nodes, and
 * cannot replicate some statements: the schema the migrations build must keep to that, on either engine (a host on
 * SQLite today may move to a cluster tomorrow with the same migrations). test/cluster/galera-rules.cluster-spec.ts
 * runs the migrations on a real cluster.
 */
describe('Galera rules for the schema the migrations build', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('gives every table a primary key and, on MySQL, the InnoDB engine', async () => {
    const dataSource = t.app.get(DataSource);
    const tables = await tablesOf((sql) => dataSource.query(sql), testEngine());
    // The plugin's tables and the migration runner's own: a sanity check that the query saw the schema.
    expect(tables.filter((table) => table.name.startsWith('cloud_billing_')).length).toBeGreaterThan(20);
    expect(tables.map((table) => table.name)).toContain('migrations');
    expect(galeraBreaches(tables)).toEqual([]);
  });

  it('reports a table without a primary key and, on MySQL, one in another engine', async () => {
    const dataSource = t.app.get(DataSource);
    const mysql = testEngine() === 'mysql';
    await dataSource.query('CREATE TABLE probe_no_key (note VARCHAR(20))');
    await dataSource.query(`CREATE TABLE probe_keyed (id INT PRIMARY KEY)${mysql ? ' ENGINE=MyISAM' : ''}`);
    try {
      const tables = await tablesOf((sql) => dataSource.query(sql), testEngine());
      expect(galeraBreaches(tables)).toEqual([
        ...(mysql ? ['probe_keyed is MyISAM, not InnoDB'] : []),
        'probe_no_key has no primary key',
      ]);
    } finally {
      await dataSource.query('DROP TABLE probe_no_key');
      await dataSource.query('DROP TABLE probe_keyed');
    }
  });

  it('finds no statement Galera cannot replicate in the migrations', () => {
    expect(unsafeMigrations()).toEqual([]);
  });

  it.each([
    ['LOCK TABLES', 'await queryRunner.query("LOCK TABLES cloud_billing_accounts WRITE")'],
    ['GET_LOCK()', 'await queryRunner.query("SELECT GET_LOCK(\'placement\', 10)")'],
    ['CREATE TABLE … SELECT', 'await queryRunner.query(`CREATE TABLE copy AS SELECT * FROM cloud_billing_plans`)'],
    ['a non-InnoDB engine', "await queryRunner.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=MyISAM')"],
    ['a non-InnoDB engine', "new Table({ name: 't', engine: 'MEMORY', columns })"],
    ['XA transactions', 'await queryRunner.query("XA START \'x\'")'],
    ['CREATE TEMPORARY TABLE', "await queryRunner.query('CREATE TEMPORARY TABLE scratch (id INT PRIMARY KEY)')"],
  ])('the migration scan catches %s in %s', (name, line) => {
    expect(unsafeStatementsIn(`export class M {\n  async up() {\n    ${line};\n  }\n}`)).toContain(name);
  });

  it('the scan passes what Galera replicates, and ignores comments that name what we avoid', () => {
    const safe = [
      '// no LOCK TABLES here: a row lock on the location instead',
      "await queryRunner.query('INSERT INTO cloud_billing_daily_usage (a) SELECT a FROM cloud_billing_usage')",
      "await queryRunner.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB')",
      "await queryRunner.query('SELECT id FROM cloud_billing_locations WHERE id = 1 FOR UPDATE')",
    ];
    expect(unsafeStatementsIn(safe.join('\n'))).toEqual([]);
  });
});

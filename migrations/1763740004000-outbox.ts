import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigAutoIncrementId, exactText } from './migration-helpers';

const bigint = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable });

export class Outbox1763740004000 implements MigrationInterface {
  name = 'Outbox1763740004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_outbox',
        columns: [
          bigAutoIncrementId(queryRunner),
          {
            name: 'dedupe_key',
            type: 'varchar',
            length: '160',
            // Keys embed user ids, which are case-sensitive; MySQL's default collation would merge "Ann" and "ann".
            ...exactText(queryRunner),
          },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'action', type: 'varchar', length: '32' },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'instance_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int', default: 0 },
          bigint('next_attempt_at_ms'),
          bigint('lease_until_ms', true),
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          bigint('created_at_ms'),
          bigint('done_at_ms', true),
        ],
        indices: [
          // One row per intent: the same intent enqueued again (a retry, a second replica) is refused here.
          { name: 'UQ_cloud_billing_outbox_dedupe_key', columnNames: ['dedupe_key'], isUnique: true },
          // The delivery run asks "what is pending and due by now?".
          { name: 'IDX_cloud_billing_outbox_due', columnNames: ['status', 'next_attempt_at_ms'] },
          { name: 'IDX_cloud_billing_outbox_user', columnNames: ['user_id', 'created_at_ms'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_outbox', true, true, true);
  }
}

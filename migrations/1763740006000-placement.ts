import { MigrationInterface, QueryRunner, Table } from 'typeorm';

const int = (name: string) => ({ name, type: 'int' });
const id = (name: string) => ({ name, type: 'varchar', length: '64' });

/** Slots held on hypervisors while the host creates an instance (see PlacementReservationEntity). */
export class Placement1763740006000 implements MigrationInterface {
  name = 'Placement1763740006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_placement_reservations',
        columns: [
          { ...id('instance_id'), isPrimary: true },
          id('user_id'),
          int('plan_id'),
          int('location_id'),
          id('hypervisor_id'),
          { name: 'name', type: 'varchar', length: '128' },
          int('vcpus'),
          int('ram_mb'),
          int('disk_gb'),
          { name: 'created_at_ms', type: 'bigint' },
        ],
        indices: [
          // Placement sums what is held on each member of a location.
          { name: 'IDX_cloud_billing_reservations_hypervisor', columnNames: ['hypervisor_id'] },
          // The sweep looks for reservations older than a cut-off.
          { name: 'IDX_cloud_billing_reservations_created', columnNames: ['created_at_ms'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_placement_reservations', true, true, true);
  }
}

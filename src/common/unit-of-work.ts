import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Isolation } from './isolation';
import { serverIsolation } from './server-isolation';
import { asTx, managerOf, type Tx } from './tx';
import { inTransaction } from './transactions';

export { Isolation } from './isolation';
export type { Tx } from './tx';

export interface UnitOfWorkOptions {
  /** What kind of work this is; `Isolation` (common/isolation.ts) says which level each kind runs at, and why. */
  isolation: Isolation;
}

/**
 * The one way the plugin runs a unit of work. `work` gets an opaque transaction handle to pass to repositories;
 * only repositories can turn it into queries, so a service cannot tell (or care) which ORM is underneath, and a
 * handle exists only inside an open transaction. On MySQL/MariaDB a deadlock victim is retried whole (see
 * common/transactions.ts), so `work` must only touch the database: host ports are called after it commits.
 */
@Injectable()
export class UnitOfWork {
  /** Read once: the level the server starts transactions at anyway. */
  private serverDefault?: Promise<Isolation | null>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Tx) => Promise<T>, options: UnitOfWorkOptions): Promise<T> {
    this.serverDefault ??= serverIsolation(this.dataSource);
    // Asking for a level costs a SET TRANSACTION round trip per unit (a thousand accounts' threshold evaluations
    // are a thousand units), so it is asked for only when the server would not start there by itself.
    const isolation = (await this.serverDefault) === options.isolation ? undefined : options.isolation;
    return inTransaction(this.dataSource, (manager) => work(asTx(manager)), isolation);
  }

  /** Runs `work` in a savepoint of `tx`, so a failure undoes only what `work` wrote and the rest can commit. */
  savepoint<T>(tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
    return managerOf(tx).transaction((manager) => work(asTx(manager)));
  }
}

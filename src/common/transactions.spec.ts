import { ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from './transactions';

/** A MySQL data source whose transactions fail with the given driver codes, in order, then succeed. */
function mysqlFailingWith(...codes: string[]) {
  const dataSource = Object.create(DataSource.prototype) as DataSource;
  Object.assign(dataSource, { options: { type: 'mysql' } });
  const transaction = jest.fn(async () => {
    const code = codes.shift();
    if (code) throw Object.assign(new Error(code), { driverError: { code } });
    return 'committed';
  });
  Object.assign(dataSource, { transaction });
  return { dataSource, transaction };
}

const work = async () => 'unused';

describe('inTransaction on MySQL/MariaDB', () => {
  it('retries a deadlock victim until it commits', async () => {
    const { dataSource, transaction } = mysqlFailingWith(...Array(5).fill('ER_LOCK_DEADLOCK'));
    await expect(inTransaction(dataSource, work)).resolves.toBe('committed');
    expect(transaction).toHaveBeenCalledTimes(6);
  });

  it('answers 503, not 500, when deadlocks outlast the retries', async () => {
    const { dataSource, transaction } = mysqlFailingWith(...Array(20).fill('ER_LOCK_DEADLOCK'));
    await expect(inTransaction(dataSource, work)).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(transaction).toHaveBeenCalledTimes(10);
  });

  it('tries once more after a lock-wait timeout, then answers 503', async () => {
    const once = mysqlFailingWith('ER_LOCK_WAIT_TIMEOUT');
    await expect(inTransaction(once.dataSource, work)).resolves.toBe('committed');
    const twice = mysqlFailingWith('ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_WAIT_TIMEOUT');
    await expect(inTransaction(twice.dataSource, work)).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(twice.transaction).toHaveBeenCalledTimes(2);
  });

  it('retries a Galera node that is waiting for the cluster to re-form, on statements and on commit', async () => {
    const { dataSource, transaction } = mysqlFailingWith('ER_UNKNOWN_COM_ERROR', 'ER_ERROR_DURING_COMMIT');
    await expect(inTransaction(dataSource, work)).resolves.toBe('committed');
    expect(transaction).toHaveBeenCalledTimes(3);
  });

  it.each(['PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED'])(
    'answers 503 at once when the connection is gone (%s): whether it committed is for the idempotency key to tell',
    async (code) => {
      const { dataSource, transaction } = mysqlFailingWith(code);
      await expect(inTransaction(dataSource, work)).rejects.toBeInstanceOf(ServiceUnavailableException);
      expect(transaction).toHaveBeenCalledTimes(1);
    },
  );

  it('passes any other error through at once', async () => {
    const { dataSource, transaction } = mysqlFailingWith('ER_DUP_ENTRY');
    await expect(inTransaction(dataSource, work)).rejects.toThrow('ER_DUP_ENTRY');
    expect(transaction).toHaveBeenCalledTimes(1);
  });
});

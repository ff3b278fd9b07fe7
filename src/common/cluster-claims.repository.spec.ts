import { DataSource } from 'typeorm';
import { isMultiPrimary } from './cluster-claims.repository';

/** A MySQL data source whose server variables are `answers`, one per query; an Error answer is a failed query. */
function mysqlAnswering(...answers: (Record<string, string> | Error)[]) {
  const dataSource = Object.create(DataSource.prototype) as DataSource;
  const query = jest.fn(async () => {
    const answer = answers.shift();
    if (answer instanceof Error || answer === undefined) throw answer ?? new Error('no answer left');
    return Object.entries(answer).map(([Variable_name, Value]) => ({ Variable_name, Value }));
  });
  Object.assign(dataSource, { options: { type: 'mysql' }, query });
  return { dataSource, query };
}

describe('whether the server is one node of a multi-primary cluster', () => {
  it('is a Galera node when wsrep_on is ON, and a plain server when it is OFF or unknown (MySQL)', async () => {
    await expect(isMultiPrimary(mysqlAnswering({ wsrep_on: 'ON' }).dataSource)).resolves.toBe(true);
    await expect(isMultiPrimary(mysqlAnswering({ wsrep_on: 'OFF' }).dataSource)).resolves.toBe(false);
    await expect(isMultiPrimary(mysqlAnswering({}).dataSource)).resolves.toBe(false);
  });

  it('is a Group Replication member in multi-primary mode, but not in single-primary mode', async () => {
    const multi = mysqlAnswering({ group_replication_single_primary_mode: 'OFF' });
    await expect(isMultiPrimary(multi.dataSource)).resolves.toBe(true);
    const single = mysqlAnswering({ group_replication_single_primary_mode: 'ON' });
    await expect(isMultiPrimary(single.dataSource)).resolves.toBe(false);
  });

  it('asks once per data source, but asks again after a node could not answer', async () => {
    const { dataSource, query } = mysqlAnswering(new Error('ECONNREFUSED'), { wsrep_on: 'ON' });
    await expect(isMultiPrimary(dataSource)).rejects.toThrow('ECONNREFUSED');
    await expect(isMultiPrimary(dataSource)).resolves.toBe(true);
    await expect(isMultiPrimary(dataSource)).resolves.toBe(true);
    expect(query).toHaveBeenCalledTimes(2);
  });
});

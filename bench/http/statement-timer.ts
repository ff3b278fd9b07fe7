/**
 * Every database statement this process sends while it runs, counted and timed (from send to last row), per SQL
 * text: how many round trips a request makes and how long they take. TypeORM's MySQL driver sends every statement
 * through query() of mysql2's base connection class, which is wrapped here for the time being.
 */
import * as mysql2 from 'mysql2';

export interface StatementTimes {
  /** Statements sent (BEGIN and COMMIT included). */
  count: number;
  /** Their durations added up (statements of concurrent requests overlap, so this can exceed the wall time). */
  ms: number;
  bySql: Map<string, { count: number; ms: number }>;
}

export function timeStatements(): { stop: () => StatementTimes } {
  const base = Object.getPrototypeOf(mysql2.Connection.prototype) as { query: (...args: unknown[]) => unknown };
  const original = base.query;
  const bySql = new Map<string, { count: number; ms: number }>();
  base.query = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const sql = String((args[0] as { sql?: string }).sql ?? args[0])
      .replace(/\s+/g, ' ')
      .slice(0, 160);
    const query = original.apply(this, args) as NodeJS.EventEmitter;
    query.once('end', () => {
      const entry = bySql.get(sql) ?? { count: 0, ms: 0 };
      bySql.set(sql, { count: entry.count + 1, ms: entry.ms + performance.now() - started });
    });
    return query;
  };
  return {
    stop: () => {
      base.query = original;
      const all = [...bySql.values()];
      return { count: all.reduce((s, e) => s + e.count, 0), ms: all.reduce((s, e) => s + e.ms, 0), bySql };
    },
  };
}

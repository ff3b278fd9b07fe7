import type request from 'supertest';
import { topUp } from '../support/billing-fixtures';
import type { TestApp } from '../support/test-app';
import { describeCluster } from './support/galera';
import { type ClusterReplicas, rowsOnEveryNode, startClusterReplicas } from './support/placement-replicas';

interface AccountRow {
  userId: string;
  balance: string;
  entries: string;
  ledgerSum: string;
}

/** Per account, on every node: the balance, the number of ledger entries and their sum (micro-credits). */
const accountsOnEveryNode = (databaseName: string) =>
  rowsOnEveryNode<AccountRow>(
    databaseName,
    `SELECT a.user_id AS userId, CAST(a.balance AS CHAR) AS balance, CAST(COUNT(l.id) AS CHAR) AS entries,
            CAST(COALESCE(SUM(l.amount), 0) AS CHAR) AS ledgerSum
       FROM cloud_billing_accounts a LEFT JOIN cloud_billing_ledger_entries l ON l.user_id = a.user_id
      GROUP BY a.user_id, a.balance ORDER BY a.user_id`,
  );

/** Credits (a decimal string with up to six places) in micro-credits, as the ledger stores them. */
const micro = (credits: string) => {
  const [whole, fraction = ''] = credits.split('.');
  return (BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'))).toString();
};

const userIds = (count: number) => Array.from({ length: count }, (_, i) => `payer-${String(i).padStart(2, '0')}`);

interface TopUpSend {
  app: TestApp;
  userId: string;
  amount: string;
  reference: string;
}

/** Times a client retries a 503 before the test gives up on it. */
const RETRIES_OF_BUSY = 5;

/**
 * One top-up as a payment client sends it: a 503 ("busy; try again", what contention that outlasts the server's own
 * retries answers) is sent again with the same reference, which the API makes safe. The first answer is kept, too.
 */
async function sendUntilAnswered(send: TopUpSend): Promise<{ first: request.Response; last: request.Response }> {
  const first = await topUp(send.app, send.userId, send.amount, send.reference);
  let response = first;
  for (let retry = 0; response.status === 503 && retry < RETRIES_OF_BUSY; retry++) {
    response = await topUp(send.app, send.userId, send.amount, send.reference);
  }
  return { first, last: response };
}

/** All at once; the last answers, in the order of the sends. */
async function sendAtOnce(sends: TopUpSend[]): Promise<request.Response[]> {
  const answers = await Promise.all(sends.map(sendUntilAnswered));
  const busy = answers.filter(({ first }) => first.status === 503);
  // A 503 is the documented answer to contention only: any other cause would hide behind the retry.
  expect(new Set(busy.map(({ first }) => first.body.message))).toEqual(
    new Set(busy.length ? ['the database is busy with concurrent changes; try again'] : []),
  );
  // Not asserted (how often the server's retries run out depends on timing), but worth seeing in the output.
  if (busy.length > 0) console.log(`[cloud-billing] ${busy.length} of ${sends.length} top-ups answered 503 first`);
  return answers.map(({ last }) => last);
}

const statusesOf = (responses: request.Response[]) => responses.map((response) => response.status);

describeCluster('top-ups through three app replicas on three Galera nodes', () => {
  let replicas: ClusterReplicas;
  beforeEach(async () => {
    replicas = await startClusterReplicas();
  });
  afterEach(() => replicas.close());

  it('credits once a top-up whose one reference reaches all three nodes at once, for 50 users at a time', async () => {
    const users = userIds(50);
    const amountOf = (i: number) => `${i + 1}.25`;
    // Every user's payment is POSTed to every replica at the same moment, as a client retrying through a load
    // balancer would: 150 requests, three per reference.
    const sends = users.flatMap((userId, i) =>
      replicas.apps.map((app) => ({ app, userId, amount: amountOf(i), reference: `pay-${userId}` })),
    );
    const responses = await sendAtOnce(sends);

    // The API answers a first credit 201 and a repeat of its reference 200 with the first entry (README, routes).
    const perReference = users.map((_, i) => responses.slice(3 * i, 3 * i + 3));
    expect(perReference.map((three) => statusesOf(three).sort())).toEqual(users.map(() => [200, 200, 201]));
    for (const three of perReference) {
      expect(new Set(three.map((response) => response.body.entry?.id)).size).toBe(1);
    }

    const expected = users.map((userId, i) => ({
      userId,
      balance: micro(amountOf(i)),
      entries: '1',
      ledgerSum: micro(amountOf(i)),
    }));
    for (const accounts of await accountsOnEveryNode(replicas.databaseName)) expect(accounts).toEqual(expected);
  });

  it('credits every one of many different references for one user sent to the three nodes at once', async () => {
    const users = userIds(20);
    const perUserPerApp = 2;
    // Every account row is written from all three nodes at once: certification conflicts, all of them retried.
    const sends = users.flatMap((userId) =>
      Array.from({ length: 3 * perUserPerApp }, (_, k) => ({
        app: replicas.apps[k % 3],
        userId,
        amount: `${k + 1}.000001`,
        reference: `pay-${userId}-${k}`,
      })),
    );
    const responses = await sendAtOnce(sends);
    expect(statusesOf(responses)).toEqual(sends.map(() => 201));

    const total = sends
      .filter((send) => send.userId === users[0])
      .reduce((sum, send) => sum + BigInt(micro(send.amount)), 0n)
      .toString();
    const expected = users.map((userId) => ({
      userId,
      balance: total,
      entries: String(3 * perUserPerApp),
      ledgerSum: total,
    }));
    for (const accounts of await accountsOnEveryNode(replicas.databaseName)) expect(accounts).toEqual(expected);
  });
});

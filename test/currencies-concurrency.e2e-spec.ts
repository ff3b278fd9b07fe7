import type { Test } from 'supertest';
import { describeReplicas } from './support/replicas';
import { startTestApp, TestApp } from './support/test-app';
import { testEngine } from './support/test-database';

const ROUNDS = 10;
const CONCURRENT_DEFAULTS = 28;
/** Codes ISO 4217 knows, other than the seeded default. */
const CODES = Intl.supportedValuesOf('currency').filter((code) => code !== 'USD');

interface CurrencyView {
  code: string;
  enabled: boolean;
  isDefault: boolean;
}

const report = (name: string, rounds: number, broken: string[]) =>
  console.log(`[cloud-billing] ${name} (${testEngine()}): ${rounds} rounds, ${broken.length} invariants broken`);

async function addCurrencies(t: TestApp, codes: string[]): Promise<void> {
  for (const code of codes) {
    await t.as('admin').post('/admin/currencies', { code, name: code, valuePerCredit: '0.01' }).expect(201);
  }
}

/**
 * What an admin and a user would notice: not exactly one enabled default (or not one of `candidates`),
 * or the account page failing.
 */
async function stateBreaches(app: TestApp, candidates?: string[]): Promise<string[]> {
  const currencies: CurrencyView[] = (await app.as('admin').get('/admin/currencies').expect(200)).body;
  const defaults = currencies.filter((currency) => currency.isDefault);
  const breaches: string[] = [];
  if (defaults.length !== 1 || !defaults[0].enabled || (candidates && !candidates.includes(defaults[0].code))) {
    breaches.push(`defaults ${JSON.stringify(defaults)}`);
  }
  const account = await app.as('alice').get('/me/account');
  if (account.status !== 200) breaches.push(`/me/account answered ${account.status}`);
  return breaches;
}

/**
 * One burst of make-default calls, one a currency, spread over the apps, with a user reading their account
 * beside each (a move must never show them "no default"); what went wrong, if anything.
 */
async function makeDefaultBurst(apps: TestApp[], candidates: string[]): Promise<string[]> {
  const app = (i: number) => apps[i % apps.length];
  const [moves, reads] = await Promise.all([
    Promise.all(candidates.map((code, i) => app(i).as('admin').post(`/admin/currencies/${code}/default`))),
    Promise.all(candidates.map((_code, i) => app(i).as('alice').get('/me/account'))),
  ]);
  return [
    ...moves.filter((r) => r.status !== 200).map((r) => `make-default answered ${r.status}: ${r.text}`),
    ...reads.filter((r) => r.status !== 200).map((r) => `/me/account during the burst answered ${r.status}: ${r.text}`),
    ...(await stateBreaches(apps[0], candidates)),
  ];
}

describe('the default currency under concurrent admin changes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  /**
   * Rounds of make-default racing another call on a fresh currency. Whichever commits first wins and the
   * other is refused naming why: the answers must be one of `expected`, and the default must stay sound.
   */
  async function raceRounds(name: string, rival: (code: string) => Test, expected: string[]): Promise<void> {
    const broken: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const code = CODES[round];
      await addCurrencies(t, [code]);
      const answers = await Promise.all([t.as('admin').post(`/admin/currencies/${code}/default`), rival(code)]);
      const seen = `default ${answers[0].status}, ${name} ${answers[1].status}`;
      const unexplained = answers.filter((answer) => answer.status === 409 && !/default/.test(answer.body.message));
      const breaches = [
        ...(expected.includes(seen) ? [] : [`answered ${seen}`]),
        ...unexplained.map((answer) => `a 409 that does not name the default rule: ${answer.text}`),
        ...(await stateBreaches(t)),
      ];
      broken.push(...breaches.map((breach) => `round ${round}: ${breach}`));
    }
    report(`currencies: make-default racing ${name}`, ROUNDS, broken);
    expect(broken).toEqual([]);
  }

  it('make-default racing a delete of the same currency leaves exactly one enabled default', () =>
    raceRounds('delete', (code) => t.as('admin').delete(`/admin/currencies/${code}`), [
      'default 200, delete 409',
      'default 404, delete 204',
    ]));

  it('make-default racing a disable of the same currency leaves exactly one enabled default', () =>
    raceRounds('disable', (code) => t.as('admin').patch(`/admin/currencies/${code}`, { enabled: false }), [
      'default 200, disable 409',
      'default 409, disable 200',
    ]));

  it('a user picking a currency while it is disabled is moved back to the default, not left on it', async () => {
    const broken: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const code = CODES[round];
      await addCurrencies(t, [code]);
      const [pick, disable] = await Promise.all([
        t.as('alice').patch('/me/preferences', { currency: code }),
        t.as('admin').patch(`/admin/currencies/${code}`, { enabled: false }),
      ]);
      // Either order is fine, but re-enabling the currency must not silently move her back to it.
      await t.as('admin').patch(`/admin/currencies/${code}`, { enabled: true }).expect(200);
      const { body } = await t.as('alice').get('/me/preferences').expect(200);
      if (![200, 400].includes(pick.status) || disable.status !== 200 || body.preferredCurrency !== null) {
        broken.push(`round ${round}: pick ${pick.status}, disable ${disable.status}, then ${JSON.stringify(body)}`);
      }
    }
    report('currencies: preference racing disable', ROUNDS, broken);
    expect(broken).toEqual([]);
  });

  it(`${CONCURRENT_DEFAULTS} concurrent make-default calls all succeed and leave exactly one default`, async () => {
    const candidates = CODES.slice(0, CONCURRENT_DEFAULTS);
    await addCurrencies(t, candidates);
    const broken = await makeDefaultBurst([t], candidates);
    report(`currencies: ${CONCURRENT_DEFAULTS} concurrent make-default`, 1, broken);
    expect(broken).toEqual([]);
  });
});

describeReplicas('the default currency under make-default bursts from two replicas', (replicas) => {
  it(`${CONCURRENT_DEFAULTS} concurrent make-default calls split over two replicas, ${ROUNDS} rounds`, async () => {
    const { a, b } = replicas();
    const candidates = CODES.slice(0, CONCURRENT_DEFAULTS);
    await addCurrencies(a, candidates);
    const broken: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      broken.push(...(await makeDefaultBurst([a, b], candidates)).map((breach) => `round ${round}: ${breach}`));
    }
    report(`currencies: ${CONCURRENT_DEFAULTS} make-default over two replicas`, ROUNDS, broken);
    expect(broken).toEqual([]);
  });
});

import fc from 'fast-check';
import {
  creditSplit,
  drawsForDebit,
  type GrantCategory,
  type OpenGrant,
  openRemainderOfNewGrant,
  plainCredit,
  sortForDrawing,
} from './grant-draws';

const grant = (
  id: number,
  category: GrantCategory,
  remaining: number,
  priority = 0,
  expiresAtMs: number | null = null,
) => ({ id, category, remaining, priority, expiresAtMs }) satisfies OpenGrant;

describe('sortForDrawing', () => {
  const grants = [
    grant(1, 'paid', 5, 0, null),
    grant(2, 'promotional', 5, 0, 2000),
    grant(3, 'promotional', 5, 0, 1000),
    grant(4, 'promotional', 5, 9, null),
    grant(5, 'paid', 5, 0, 500),
  ];

  it('uses promotional credit first, then higher priority, then the earliest expiry', () => {
    expect(sortForDrawing(grants, 'charge').map((g) => g.id)).toEqual([4, 3, 2, 5, 1]);
  });

  it('gives back paid credit first for refunds and chargebacks', () => {
    expect(sortForDrawing(grants, 'paid-first').map((g) => g.id)).toEqual([5, 1, 4, 3, 2]);
  });
});

describe('drawsForDebit', () => {
  it('charges a promotional grant before plain credit, and plain credit for what the grants lack', () => {
    const grants = [grant(1, 'promotional', 3_000_000)];
    expect(drawsForDebit(grants, 5_000_000, 10_000_000, 'charge')).toEqual([{ grantId: 1, amount: 3_000_000 }]);
  });

  it('takes a refund from plain credit before any grant', () => {
    const grants = [grant(1, 'promotional', 3_000_000), grant(2, 'paid', 2_000_000, 0, 1)];
    // Balance 10: plain 5, paid grant 2, promo 3. Refunding 6 takes plain 5, then 1 of the paid grant.
    expect(drawsForDebit(grants, 6_000_000, 10_000_000, 'paid-first')).toEqual([{ grantId: 2, amount: 1_000_000 }]);
  });

  it('lets a chargeback use up promotional credit last, when paid credit is not enough', () => {
    const grants = [grant(1, 'promotional', 3_000_000)];
    expect(drawsForDebit(grants, 20_000_000, 10_000_000, 'paid-first')).toEqual([{ grantId: 1, amount: 3_000_000 }]);
  });
});

describe('openRemainderOfNewGrant', () => {
  it('keeps the whole grant when nothing is owed', () => {
    expect(openRemainderOfNewGrant(5_000_000, 0)).toBe(5_000_000);
  });

  it('pays a debt first', () => {
    expect(openRemainderOfNewGrant(5_000_000, -2_000_000)).toBe(3_000_000);
    expect(openRemainderOfNewGrant(5_000_000, -7_000_000)).toBe(0);
  });
});

/**
 * A ledger of one account driven through any order of top-ups, grants, charges (each for an hour, drawing only
 * grants that had not expired by then), refunds, chargebacks and expiries.
 */
type Op =
  | { op: 'topup'; amount: number }
  | { op: 'grant'; amount: number; category: GrantCategory; priority: number; expiresAtMs: number | null }
  | { op: 'charge'; amount: number; hourMs: number }
  | { op: 'refund'; amount: number }
  | { op: 'expire'; atMs: number };

const amount = fc.integer({ min: 1, max: 50_000_000 });
const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('topup' as const), amount }),
    fc.record({
      op: fc.constant('grant' as const),
      amount,
      category: fc.constantFrom<GrantCategory>('paid', 'promotional'),
      priority: fc.integer({ min: 0, max: 3 }),
      expiresAtMs: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    }),
    fc.record({ op: fc.constant('charge' as const), amount, hourMs: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ op: fc.constant('refund' as const), amount }),
    fc.record({ op: fc.constant('expire' as const), atMs: fc.integer({ min: 0, max: 100 }) }),
  ),
  { maxLength: 60 },
);

interface GrantState extends OpenGrant {
  amount: number;
  drawn: number;
  expired: number;
  open: boolean;
}

describe('grant consumption, any order of charges and expiries', () => {
  it('keeps balance = Σ ledger, every grant between 0 and its amount, and amount = remaining + drawn + expired', () => {
    fc.assert(
      fc.property(ops, (sequence: Op[]) => {
        const ledger: number[] = [];
        const grants: GrantState[] = [];
        let balance = 0;
        const post = (delta: number) => {
          ledger.push(delta);
          balance += delta;
        };
        const open = () => grants.filter((g) => g.open);
        const applyDraws = (draws: { grantId: number; amount: number }[]) => {
          for (const draw of draws) {
            const target = grants[draw.grantId];
            target.remaining -= draw.amount;
            target.drawn += draw.amount;
          }
        };

        for (const step of sequence) {
          if (step.op === 'topup') post(step.amount);
          else if (step.op === 'grant') {
            const remaining = openRemainderOfNewGrant(step.amount, plainCredit(balance, open()));
            post(step.amount);
            const { op: _op, ...terms } = step;
            grants.push({
              ...terms,
              id: grants.length,
              remaining,
              drawn: step.amount - remaining,
              expired: 0,
              open: true,
            });
          } else if (step.op === 'charge') {
            const payable = open().filter((g) => g.expiresAtMs === null || g.expiresAtMs > step.hourMs);
            const draws = drawsForDebit(payable, step.amount, balance, 'charge');
            // Promotional and paid grants pay all they can before plain credit pays anything.
            const drawn = draws.reduce((total, draw) => total + draw.amount, 0);
            expect(drawn).toBe(
              Math.min(
                step.amount,
                payable.reduce((total, g) => total + g.remaining, 0),
              ),
            );
            applyDraws(draws);
            post(-step.amount);
          } else if (step.op === 'refund') {
            applyDraws(drawsForDebit(open(), step.amount, balance, 'paid-first'));
            post(-step.amount);
          } else {
            for (const g of open().filter((g) => g.expiresAtMs !== null && g.expiresAtMs <= step.atMs)) {
              if (g.remaining > 0) post(-g.remaining);
              g.expired = g.remaining;
              g.remaining = 0;
              g.open = false;
            }
          }

          expect(balance).toBe(ledger.reduce((total, delta) => total + delta, 0));
          for (const g of grants) {
            expect(g.remaining).toBeGreaterThanOrEqual(0);
            expect(g.remaining).toBeLessThanOrEqual(g.amount);
            expect(g.remaining + g.drawn + g.expired).toBe(g.amount);
          }
          const split = creditSplit(balance, open());
          expect(split.paid + split.promotional).toBe(balance);
        }
      }),
      { numRuns: 500 },
    );
  });
});

import { leavesBalanceBound, MAX_BALANCE_MICROS } from './money-bounds';

const MAX = MAX_BALANCE_MICROS;

describe('leavesBalanceBound', () => {
  it.each([
    [0, MAX],
    [0, -MAX],
    [MAX, 0],
    [-MAX - 5, -MAX - 1],
    [MAX + 5, MAX + 1],
  ])('lets a credit take %d to %d', (before, after) => {
    expect(leavesBalanceBound(before, after)).toBe(false);
  });

  it.each([
    [0, MAX + 1],
    [MAX, MAX + 1],
    [-MAX, -MAX - 1],
    // Past the bound by charges: moving further out, or jumping across to the other side, is refused.
    [-MAX - 5, -MAX - 6],
    [-MAX - 5, MAX + 1],
    [0, Number.MAX_SAFE_INTEGER + 2],
  ])('refuses a credit taking %d to %d', (before, after) => {
    expect(leavesBalanceBound(before, after)).toBe(true);
  });
});

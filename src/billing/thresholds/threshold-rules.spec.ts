import { decideThresholds, runwayHours, ThresholdSettings } from './threshold-rules';

const C = 1_000_000;
const settings: ThresholdSettings = {
  lowBalanceThreshold: 10 * C,
  negativeBalanceThreshold: 0,
  suspensionThreshold: -5 * C,
  autoUnsuspend: true,
  runwayWarningHours: 24,
};
const fresh = { lowNotified: false, negativeNotified: false, runwayNotified: false, suspended: false };

describe('threshold rules', () => {
  it('sends nothing while the balance is healthy and the runway long', () => {
    expect(decideThresholds(100 * C, C, settings, fresh)).toMatchObject({
      emails: [],
      suspend: false,
      unsuspend: false,
      runwayHours: 105,
    });
  });

  it('warns once per episode at or below the low threshold', () => {
    const first = decideThresholds(10 * C, 0, settings, fresh);
    expect(first.emails).toEqual(['low-balance']);
    const again = decideThresholds(9 * C, 0, settings, { ...fresh, ...first.next });
    expect(again.emails).toEqual([]);
    // Rising above the threshold ends the episode; the next crossing warns again.
    const recovered = decideThresholds(11 * C, 0, settings, { ...fresh, ...again.next });
    expect(recovered.next.lowNotified).toBe(false);
    expect(decideThresholds(10 * C, 0, settings, { ...fresh, ...recovered.next }).emails).toEqual(['low-balance']);
  });

  it('adds the negative warning at or below the negative threshold, and suspends only below the suspension threshold', () => {
    expect(decideThresholds(0, 0, settings, fresh).emails).toEqual(['low-balance', 'negative-balance']);
    expect(decideThresholds(-5 * C, 0, settings, fresh).suspend).toBe(false);
    const below = decideThresholds(-5 * C - 1, 0, settings, fresh);
    expect(below.suspend).toBe(true);
    expect(below.emails).toContain('suspended');
    expect(decideThresholds(-6 * C, 0, settings, { ...fresh, ...below.next, suspended: true }).emails).toEqual([]);
  });

  it('warns about a short runway before any balance threshold', () => {
    const decision = decideThresholds(20 * C, 2 * C, settings, fresh);
    expect(decision.runwayHours).toBe(12.5);
    expect(decision.emails).toEqual(['runway-warning']);
    expect(decideThresholds(20 * C, 2 * C, { ...settings, runwayWarningHours: 0 }, fresh).emails).toEqual([]);
    expect(decideThresholds(20 * C, 2 * C, settings, { ...fresh, runwayNotified: true }).emails).toEqual([]);
  });

  it('resumes on recovery only when auto-unsuspend is on', () => {
    const suspended = { ...fresh, lowNotified: true, negativeNotified: true, suspended: true };
    expect(decideThresholds(-5 * C, 0, settings, suspended)).toMatchObject({
      unsuspend: true,
      emails: ['unsuspended'],
    });
    expect(decideThresholds(-5 * C, 0, { ...settings, autoUnsuspend: false }, suspended)).toMatchObject({
      unsuspend: false,
      emails: [],
    });
  });

  it('has no runway when nothing burns', () => {
    expect(runwayHours(5 * C, 0, 0)).toBeNull();
    expect(runwayHours(-1, 0, C)).toBe(0);
  });
});

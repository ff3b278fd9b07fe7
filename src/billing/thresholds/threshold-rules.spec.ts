import { decideThresholds, ThresholdSettings } from './threshold-rules';

const C = 1_000_000;
const settings: ThresholdSettings = {
  lowBalanceThreshold: 10 * C,
  negativeBalanceThreshold: 0,
  suspensionThreshold: -5 * C,
  autoUnsuspend: true,
  runwayWarningHours: 24,
};
const fresh = {
  neverCredited: false,
  lowNotified: false,
  negativeNotified: false,
  runwayNotified: false,
  suspended: false,
};

describe('threshold rules', () => {
  it('sends nothing while the balance is healthy and the runway long', () => {
    expect(decideThresholds(100 * C, 105, settings, fresh)).toMatchObject({
      emails: [],
      suspend: false,
      unsuspend: false,
      runwayHours: 105,
    });
  });

  it('warns once per episode at or below the low threshold', () => {
    const first = decideThresholds(10 * C, null, settings, fresh);
    expect(first.emails).toEqual(['low-balance']);
    const again = decideThresholds(9 * C, null, settings, { ...fresh, ...first.next });
    expect(again.emails).toEqual([]);
    // Rising above the threshold ends the episode; the next crossing warns again.
    const recovered = decideThresholds(11 * C, null, settings, { ...fresh, ...again.next });
    expect(recovered.next.lowNotified).toBe(false);
    expect(decideThresholds(10 * C, null, settings, { ...fresh, ...recovered.next }).emails).toEqual(['low-balance']);
  });

  it('adds the negative warning at or below the negative threshold, and suspends only below the suspension threshold', () => {
    expect(decideThresholds(0, null, settings, fresh).emails).toEqual(['low-balance', 'negative-balance']);
    expect(decideThresholds(-5 * C, null, settings, fresh).suspend).toBe(false);
    const below = decideThresholds(-5 * C - 1, null, settings, fresh);
    expect(below.suspend).toBe(true);
    expect(below.emails).toContain('suspended');
    expect(decideThresholds(-6 * C, null, settings, { ...fresh, ...below.next, suspended: true }).emails).toEqual([]);
  });

  it('warns about a short runway before any balance threshold', () => {
    const decision = decideThresholds(20 * C, 12.5, settings, fresh);
    expect(decision.runwayHours).toBe(12.5);
    expect(decision.emails).toEqual(['runway-warning']);
    expect(decideThresholds(20 * C, 12.5, { ...settings, runwayWarningHours: 0 }, fresh).emails).toEqual([]);
    expect(decideThresholds(20 * C, 12.5, settings, { ...fresh, runwayNotified: true }).emails).toEqual([]);
    expect(decideThresholds(20 * C, 24, settings, fresh).emails).toEqual(['runway-warning']);
    expect(decideThresholds(20 * C, 24.1, settings, fresh).emails).toEqual([]);
  });

  it('does not warn about credit that does not run out within the horizon', () => {
    // projectRunway gives null both when nothing costs and when a monthly cap keeps the credit for over a year.
    expect(decideThresholds(C, null, settings, fresh)).toMatchObject({ emails: ['low-balance'], runwayHours: null });
  });

  it('sends no low or negative warning to an account that never had credit, until its first entry', () => {
    const never = decideThresholds(0, null, settings, { ...fresh, neverCredited: true });
    expect(never.emails).toEqual([]);
    expect(never.next).toMatchObject({ lowNotified: false, negativeNotified: false });
    // Its first charge takes it below 0: that is the crossing, and it warns.
    expect(decideThresholds(-C, 4, settings, { ...fresh, ...never.next }).emails).toEqual([
      'low-balance',
      'negative-balance',
      'runway-warning',
    ]);
  });

  it('resumes on recovery only when auto-unsuspend is on', () => {
    const suspended = { ...fresh, lowNotified: true, negativeNotified: true, suspended: true };
    expect(decideThresholds(-5 * C, null, settings, suspended)).toMatchObject({
      unsuspend: true,
      emails: ['unsuspended'],
    });
    expect(decideThresholds(-5 * C, null, { ...settings, autoUnsuspend: false }, suspended)).toMatchObject({
      unsuspend: false,
      emails: [],
    });
  });
});

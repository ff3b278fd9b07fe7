const HOURS_PER_DAY = 24;
/** Below two days a count of hours reads better ("about 30 hours" rather than "about 1 day"). */
const HOURS_UNTIL_DAYS = 48;
const DAYS_IN_A_YEAR = 365;
const MORE_THAN_A_YEAR = 'more than a year';

/**
 * How long the credit lasts, in the words an email or the widget shows. `hours` is the runway at the
 * current burn rate; null (or not finite) means nothing is burning credit, so there is nothing to say.
 */
export function runwayInWords(hours: number | null): string | null {
  if (hours === null || !Number.isFinite(hours)) return null;
  if (hours < 1) return 'less than an hour';
  const wholeHours = Math.round(hours);
  if (wholeHours < HOURS_UNTIL_DAYS) return wholeHours === 1 ? 'about 1 hour' : `about ${wholeHours} hours`;
  const days = Math.round(hours / HOURS_PER_DAY);
  if (days > DAYS_IN_A_YEAR) return MORE_THAN_A_YEAR;
  return `about ${days} days`;
}

/**
 * A projected runway (projectRunway) in words: credit that outlasts the projection's year is "more than a year";
 * credit nothing spends has nothing to say.
 */
export function describeRunway(runway: { hours: number | null; outlastsHorizon: boolean }): string | null {
  return runway.outlastsHorizon ? MORE_THAN_A_YEAR : runwayInWords(runway.hours);
}

import { HOUR_MS } from '../rating';

/** What a proof or the audit can find wrong; the audit reports each as a breach of the same kind. */
export type FindingKind =
  | 'segment-gap'
  | 'segment-overlap'
  | 'segment-bounds'
  | 'missing-hour'
  | 'duplicate-hour'
  | 'hour-outside-life'
  | 'unexpected-plan'
  | 'seconds-mismatch'
  | 'charge-mismatch'
  | 'unbilled-report';

/** One problem, in words for an admin (`detail`) and in data for a program (kind, times, plan). */
export interface Finding {
  kind: FindingKind;
  detail: string;
  /** Where it starts: an instant for segment findings, an hour's start for hour findings (ISO). */
  from: string;
  /** Where it ends (exclusive); null when it runs on (an uncovered time after the last segment). */
  to: string | null;
  planId?: number | null;
  /** For hour findings: how many consecutive hours the finding covers. */
  hours?: number;
}

export const isoOf = (ms: number): string => new Date(ms).toISOString();

/** "2026-03-10T14:00Z": how an admin names an hour. */
export const hourLabel = (ms: number): string => `${isoOf(ms).slice(0, 16)}Z`;

/** One hour's problem before consecutive hours are merged into one finding. */
export interface HourIssue {
  kind: FindingKind;
  hourMs: number;
  planId: number | null;
  /** Rows found for that hour and plan (duplicates only). */
  count?: number;
  /** Appended to the sentence, e.g. ", though no segment on that plan ran then". */
  why: string;
}

const runKey = (i: HourIssue) => `${i.kind}|${i.planId}|${i.count ?? ''}|${i.why}`;

/**
 * Merges issues of the same kind, plan and reason on consecutive hours into one finding, so a
 * month-long hole reads as one line ("no usage row for the 720 hours from … to …"), not 720.
 */
export function collapseHourIssues(issues: HourIssue[]): Finding[] {
  const sorted = [...issues].sort((a, b) => runKey(a).localeCompare(runKey(b)) || a.hourMs - b.hourMs);
  const runs: { issue: HourIssue; hours: number }[] = [];
  for (const issue of sorted) {
    const last = runs[runs.length - 1];
    if (last && runKey(last.issue) === runKey(issue) && last.issue.hourMs + last.hours * HOUR_MS === issue.hourMs) {
      last.hours += 1;
    } else {
      runs.push({ issue, hours: 1 });
    }
  }
  return runs
    .map(({ issue, hours }) => {
      const end = issue.hourMs + hours * HOUR_MS;
      const when =
        hours === 1
          ? `for ${hourLabel(issue.hourMs)}`
          : `for the ${hours} hours from ${hourLabel(issue.hourMs)} to ${hourLabel(end)}`;
      return {
        kind: issue.kind,
        detail: `${subject(issue)} ${when}${issue.why}`,
        from: isoOf(issue.hourMs),
        to: isoOf(end),
        planId: issue.planId,
        hours,
      };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.kind.localeCompare(b.kind));
}

function subject(issue: HourIssue): string {
  const onPlan = issue.planId === null ? '' : ` on plan ${issue.planId}`;
  if (issue.kind === 'missing-hour') return `no usage row${onPlan}`;
  if (issue.kind === 'duplicate-hour') return `${issue.count} usage rows${onPlan}`;
  return `a usage row${onPlan}`;
}

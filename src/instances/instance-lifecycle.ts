import type { InstanceEventType, InstanceState } from './instance.entity';

export type TransitionEvent = Exclude<InstanceEventType, 'created'>;

/** Which states each event may come from, and the state it leads to ('same' keeps the state). */
const TRANSITIONS: Record<TransitionEvent, { from: InstanceState[]; to: InstanceState | 'same' }> = {
  started: { from: ['stopped'], to: 'running' },
  stopped: { from: ['running'], to: 'stopped' },
  suspended: { from: ['running', 'stopped'], to: 'suspended' },
  resumed: { from: ['suspended'], to: 'running' },
  resized: { from: ['running', 'stopped', 'suspended'], to: 'same' },
  // The host's report of the instance's resource quantities (README, "Resource quantities").
  resources: { from: ['running', 'stopped', 'suspended'], to: 'same' },
  terminated: { from: ['running', 'stopped', 'suspended'], to: 'terminated' },
};

/** The state after `event`, or null when the event makes no sense from `state` (e.g. "started" while running). */
export function stateAfter(state: InstanceState, event: TransitionEvent): InstanceState | null {
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(state)) return null;
  return rule.to === 'same' ? state : rule.to;
}

export const TRANSITION_EVENTS = Object.keys(TRANSITIONS) as TransitionEvent[];

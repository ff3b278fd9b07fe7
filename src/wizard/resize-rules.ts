export type ResizeRefusalCode = 'plan-unavailable' | 'not-offered' | 'no-room';

export interface ResizeRefusal {
  code: ResizeRefusalCode;
  reason: string;
}

export interface ResizeFacts {
  planName: string;
  /** The new plan and its group are both enabled. */
  planEnabled: boolean;
  /** The new plan is offered where the instance is (true for an instance in no location). */
  offered: boolean;
  locationName: string | null;
  /** Its hypervisor can hold the new size (true for an instance on no known hypervisor). */
  hasRoom: boolean;
  hypervisorId: string | null;
}

/** The first rule that stops a resize, or null: the same catalog rules as creation, then room where it is. */
export function resizeRefusal(facts: ResizeFacts): ResizeRefusal | null {
  if (!facts.planEnabled)
    return { code: 'plan-unavailable', reason: `${facts.planName} is not available at the moment` };
  if (!facts.offered) {
    return {
      code: 'not-offered',
      reason: `${facts.planName} is not offered in ${facts.locationName ?? 'its location'}`,
    };
  }
  if (!facts.hasRoom) {
    return {
      code: 'no-room',
      reason: `hypervisor ${facts.hypervisorId} has no room for ${facts.planName}; the instance keeps its plan`,
    };
  }
  return null;
}

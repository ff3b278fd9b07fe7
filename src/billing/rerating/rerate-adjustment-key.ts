/** The key of one re-rating's adjustment: re-rating the same hour again makes a new revision, so a new key. */
export const rerateAdjustmentKey = (instanceId: string, hourStartMs: number, revision: number) =>
  `rerate:${instanceId}:${new Date(hourStartMs).toISOString()}:${revision}`;

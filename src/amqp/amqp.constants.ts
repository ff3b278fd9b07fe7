/** The settings (AmqpSettings, or null when the host gave no `amqp` option) under a token of the feature's own. */
export const AMQP_SETTINGS = Symbol('CLOUD_BILLING_AMQP_SETTINGS');

/** Headers a dead-lettered message carries, beside its own. */
export const REFUSAL_HEADERS = {
  /** What the HTTP API would have answered, in words: "event.at: at must be a valid ISO 8601 date string". */
  reason: 'x-cloud-billing-reason',
  /** Its status: 400 refused input, 404 unknown instance, 409 a conflict (out of order, outside the window). */
  status: 'x-cloud-billing-status',
  /** The fields and rules, as JSON: `[{ "field": "event.at", "rule": "isIso8601", "message": "…" }]`. */
  errors: 'x-cloud-billing-errors',
  /** The queue it was taken from. */
  queue: 'x-cloud-billing-queue',
} as const;

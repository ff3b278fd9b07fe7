import { OUTBOX_ENTITIES } from './outbox/outbox.providers';
import { USAGE_ENTITIES } from './settlement/usage.entity';

export const BILLING_ENTITIES = [...USAGE_ENTITIES, ...OUTBOX_ENTITIES];

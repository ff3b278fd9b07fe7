import { EmailRenderer } from '../notifications/email-renderer';
import { OutboxEntity } from './outbox.entity';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

export const OUTBOX_ENTITIES = [OutboxEntity];
/** OutboxService and EmailRenderer are what the threshold engine uses: render, then enqueue in its transaction. */
export const OUTBOX_PROVIDERS = [OutboxRepository, OutboxService, EmailRenderer];

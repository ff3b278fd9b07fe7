import { HttpException, Injectable, Type } from '@nestjs/common';
import { LateEventService } from '../billing/rerating/late-event.service';
import { createValidationPipe, FieldViolation, invalidInput } from '../common/validation';
import { InstanceService } from '../instances/instance.service';
import { MeteredUsageService } from '../metering/metered-usage.service';
import { parseMessageBody } from './amqp-message-body';
import { InstanceEventMessage, InstanceRegisteredMessage, InstanceUsageMessage } from './amqp-messages';

/** Why a message was refused: what the HTTP API would have answered for the same call. */
export interface MessageRefusal {
  status: number;
  message: string;
  errors: FieldViolation[];
}

/** Applied (its transaction committed), or refused for good. A transient failure is thrown instead. */
export type MessageVerdict = { outcome: 'applied' } | { outcome: 'refused'; refusal: MessageRefusal };

interface MessageKind {
  message: Type<object>;
  /** The key the HTTP body sits under: the fields a service names are the body's, so they are named under it. */
  body: string;
  apply(message: object): Promise<unknown>;
}

function kind<M extends object>(message: Type<M>, body: keyof M & string, apply: (m: M) => Promise<unknown>) {
  return { message, body, apply: (validated: object) => apply(validated as M) };
}

/** A refusal goes in a message header: enough of it to fix the publisher, not a 100 kB list. */
const MAX_REASON_CHARS = 1_000;
const MAX_ERRORS = 10;

function refusal(status: number, message: string, errors: FieldViolation[]): MessageVerdict {
  const shown = message.length > MAX_REASON_CHARS ? `${message.slice(0, MAX_REASON_CHARS - 1)}…` : message;
  return { outcome: 'refused', refusal: { status, message: shown, errors: errors.slice(0, MAX_ERRORS) } };
}

/**
 * The 4xx answer an HTTP client would have had, as a refusal; anything else is not one. The fields it names are
 * put under `body` (`planId` → `instance.planId`), as the validation pipe names them in a message.
 */
function refusalFrom(error: unknown, body = ''): MessageVerdict | null {
  if (!(error instanceof HttpException) || error.getStatus() >= 500) return null;
  const response = error.getResponse();
  if (typeof response === 'string') return refusal(error.getStatus(), response, []);
  const { message, errors } = response as { message?: unknown; errors?: FieldViolation[] };
  if (!Array.isArray(errors) || errors.length === 0) {
    return refusal(error.getStatus(), Array.isArray(message) ? message.join('; ') : String(message), []);
  }
  const named = errors.map((v) => ({ ...v, field: body ? `${body}.${v.field}` : v.field }));
  return refusal(error.getStatus(), named.map((v) => `${v.field}: ${v.message}`).join('; '), named);
}

/**
 * What a message from the queue does: checked as its HTTP call's body is (the same DTO classes and pipe, the same
 * 400 naming field and rule), then handed to the service that call reaches, which commits before this returns.
 */
@Injectable()
export class AmqpMessageHandler {
  private readonly pipe = createValidationPipe();

  /** Every message type and what it calls: a new kind is one entry here, with its class in amqp-messages.ts. */
  private readonly kinds: Record<string, MessageKind> = {
    'instance.registered': kind(InstanceRegisteredMessage, 'instance', (m) => this.instances.register(m.instance)),
    'instance.event': kind(InstanceEventMessage, 'event', (m) => this.events.applyHostEvent(m.instanceId, m.event)),
    'instance.usage': kind(InstanceUsageMessage, 'usage', (m) => this.usage.report(m.instanceId, m.usage)),
  };

  constructor(
    private readonly instances: InstanceService,
    private readonly events: LateEventService,
    private readonly usage: MeteredUsageService,
  ) {}

  get types(): string[] {
    return Object.keys(this.kinds);
  }

  /** Throws only what is worth trying again: the database down, a deadlock, a 5xx. */
  async handle(content: Buffer, contentType: string | undefined): Promise<MessageVerdict> {
    const parsed = parseMessageBody(content, contentType, this.types);
    if ('violations' in parsed) return this.refusedAs400(parsed.violations);
    const { message: messageClass, body, apply } = this.kinds[parsed.type];
    let message: object;
    try {
      message = (await this.pipe.transform(parsed.body, { type: 'body', metatype: messageClass })) as object;
    } catch (error) {
      return this.refusedAs400FromPipe(error);
    }
    try {
      await apply(message);
    } catch (error) {
      const refused = refusalFrom(error, body);
      if (refused) return refused;
      throw error;
    }
    return { outcome: 'applied' };
  }

  private refusedAs400(violations: FieldViolation[]): MessageVerdict {
    return this.refusedAs400FromPipe(invalidInput(violations));
  }

  /** The pipe names fields by their path in the message already; it throws nothing but its 400. */
  private refusedAs400FromPipe(error: unknown): MessageVerdict {
    const refused = refusalFrom(error);
    if (!refused) throw error;
    return refused;
  }
}

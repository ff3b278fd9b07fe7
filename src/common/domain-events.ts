import { Injectable, Logger } from '@nestjs/common';

type EventClass<E> = new (...args: never[]) => E;
type Handler<E> = (event: E) => Promise<void>;

/**
 * How a feature makes a feature above it act without importing it: the lower one emits an event after its
 * transaction commits, the higher one subscribes when its module starts. An event is only a nudge: whatever it
 * announces is already recorded in a row of that transaction (a due mark, an outbox row), so a handler that
 * fails, or a process that dies before it ran, loses nothing that the next billing run would not pick up.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly handlers = new Map<EventClass<object>, Handler<object>[]>();

  on<E extends object>(type: EventClass<E>, handler: Handler<E>): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler as Handler<object>]);
  }

  /** Runs the handlers one after another and waits for them, so a request's answer already reflects what they did. */
  async emit(event: object): Promise<void> {
    for (const handler of this.handlers.get(event.constructor as EventClass<object>) ?? []) {
      try {
        await handler(event);
      } catch (error) {
        this.logger.error(`${event.constructor.name} handler failed: ${(error as Error).message}`);
      }
    }
  }
}

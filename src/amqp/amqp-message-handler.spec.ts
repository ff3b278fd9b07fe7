import { invalidField } from '../common/validation';
import { ConflictException, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import type { LateEventService } from '../billing/rerating/late-event.service';
import { HostInstanceCreateDto, InstanceEventDto } from '../instances/instance.dto';
import type { InstanceService } from '../instances/instance.service';
import { UsageReportDto } from '../metering/metered-usage.dto';
import type { MeteredUsageService } from '../metering/metered-usage.service';
import { AmqpMessageHandler } from './amqp-message-handler';
import { MAX_MESSAGE_BYTES } from './amqp-message-body';

const registration = {
  type: 'instance.registered',
  instance: { id: 'vm-1', userId: 'alice', planId: 1, name: 'web-1', at: '2026-03-10T12:00:00Z' },
};
const event = { type: 'instance.event', instanceId: 'vm-1', event: { type: 'stopped', at: '2026-03-10T13:00:00Z' } };
const usage = {
  type: 'instance.usage',
  instanceId: 'vm-1',
  usage: { counter: 'traffic-out', quantity: '0.000001', at: '2026-03-10T13:00:00Z', id: 'u-1' },
};

function handlerWith(apply: { register?: jest.Mock; applyHostEvent?: jest.Mock; report?: jest.Mock } = {}) {
  const instances = { register: apply.register ?? jest.fn().mockResolvedValue({}) };
  const events = { applyHostEvent: apply.applyHostEvent ?? jest.fn().mockResolvedValue({}) };
  const reports = { report: apply.report ?? jest.fn().mockResolvedValue({}) };
  const handler = new AmqpMessageHandler(
    instances as unknown as InstanceService,
    events as unknown as LateEventService,
    reports as unknown as MeteredUsageService,
  );
  return { handler, instances, events, reports };
}

const json = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('a message from the queue', () => {
  it('calls the service its HTTP call reaches, with the same DTO classes', async () => {
    const { handler, instances, events } = handlerWith();
    await expect(handler.handle(json(registration), 'application/json')).resolves.toEqual({ outcome: 'applied' });
    await expect(handler.handle(json(event), undefined)).resolves.toEqual({ outcome: 'applied' });

    expect(instances.register).toHaveBeenCalledWith(expect.any(HostInstanceCreateDto));
    expect(instances.register.mock.calls[0][0]).toEqual(registration.instance);
    expect(events.applyHostEvent).toHaveBeenCalledWith('vm-1', expect.any(InstanceEventDto));
    expect(events.applyHostEvent.mock.calls[0][1]).toEqual(event.event);
  });

  it('hands a usage report to the service POST /host/instances/:id/usage reaches, and names its fields under usage', async () => {
    const { handler, reports } = handlerWith();
    await expect(handler.handle(json(usage), undefined)).resolves.toEqual({ outcome: 'applied' });
    expect(reports.report).toHaveBeenCalledWith('vm-1', expect.any(UsageReportDto));
    expect(reports.report.mock.calls[0][1]).toEqual(usage.usage);

    const refused = await handler.handle(json({ ...usage, usage: { ...usage.usage, quantity: '-1' } }), undefined);
    expect(refused).toMatchObject({
      outcome: 'refused',
      refusal: { status: 400, errors: [expect.objectContaining({ field: 'usage.quantity', rule: 'isQuantity' })] },
    });
  });

  it.each([
    ['not JSON', Buffer.from('{"type":'), 'application/json', 'body', 'isJson'],
    ['JSON of another content type', json(event), 'text/plain', 'content-type', 'isJson'],
    ['an array', json([event]), undefined, 'body', 'isObject'],
    ['larger than an HTTP body may be', Buffer.alloc(MAX_MESSAGE_BYTES + 1, 32), undefined, 'body', 'maxSize'],
    ['of an unknown type', json({ ...event, type: 'instance.deleted' }), undefined, 'type', 'isIn'],
    ['typed as a prototype key', json({ ...event, type: 'constructor' }), undefined, 'type', 'isIn'],
    [
      'carrying a prototype key',
      Buffer.from('{"type":"instance.event","__proto__":{}}'),
      undefined,
      '__proto__',
      'noPrototypeKey',
    ],
    [
      'with a bad event time',
      json({ ...event, event: { type: 'stopped', at: 'yesterday' } }),
      undefined,
      'event.at',
      'isIso8601',
    ],
    [
      'with an unknown event',
      json({ ...event, event: { type: 'exploded', at: event.event.at } }),
      undefined,
      'event.type',
      'isIn',
    ],
    [
      'with a field the body does not take',
      json({ ...event, event: { ...event.event, x: 1 } }),
      undefined,
      'event.x',
      'whitelistValidation',
    ],
    [
      'with a field the message does not take',
      json({ ...event, extra: true }),
      undefined,
      'extra',
      'whitelistValidation',
    ],
    ['without its event', json({ type: 'instance.event', instanceId: 'vm-1' }), undefined, 'event', 'isDefined'],
    ['with a bad instance id', json({ ...event, instanceId: 'vm 1' }), undefined, 'instanceId', 'matches'],
    [
      'registering without a plan',
      json({ ...registration, instance: { ...registration.instance, planId: undefined } }),
      undefined,
      'instance.planId',
      'isInt',
    ],
  ])(
    '%s is refused as the HTTP API refuses it, naming the field and rule, and calls nothing',
    async (_what, content, contentType, field, rule) => {
      const { handler, instances, events } = handlerWith();
      const verdict = await handler.handle(content, contentType);
      expect(verdict).toEqual({
        outcome: 'refused',
        refusal: {
          status: 400,
          message: expect.stringContaining(`${field}: `),
          errors: expect.arrayContaining([expect.objectContaining({ field, rule })]),
        },
      });
      expect(instances.register).not.toHaveBeenCalled();
      expect(events.applyHostEvent).not.toHaveBeenCalled();
    },
  );

  it('is refused with what the service answered when it refuses the call with a 4xx', async () => {
    const unknown = jest.fn().mockRejectedValue(new NotFoundException('instance vm-1 does not exist'));
    const { handler } = handlerWith({ applyHostEvent: unknown });
    await expect(handler.handle(json(event), undefined)).resolves.toEqual({
      outcome: 'refused',
      refusal: { status: 404, message: 'instance vm-1 does not exist', errors: [] },
    });
    const conflict = jest.fn().mockRejectedValue(new ConflictException('an event at … is out of order'));
    await expect(handlerWith({ applyHostEvent: conflict }).handler.handle(json(event), undefined)).resolves.toEqual(
      expect.objectContaining({ refusal: expect.objectContaining({ status: 409 }) }),
    );
  });

  it('names the fields a service refuses by their path in the message', async () => {
    const badPlan = jest.fn().mockRejectedValue(invalidField('planId', 'exists', 'plan 9 does not exist'));
    await expect(handlerWith({ register: badPlan }).handler.handle(json(registration), undefined)).resolves.toEqual({
      outcome: 'refused',
      refusal: {
        status: 400,
        message: 'instance.planId: plan 9 does not exist',
        errors: [{ field: 'instance.planId', rule: 'exists', message: 'plan 9 does not exist' }],
      },
    });
  });

  it('throws, to be tried again, when the service fails for any other reason', async () => {
    const down = jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:3306'));
    await expect(handlerWith({ register: down }).handler.handle(json(registration), undefined)).rejects.toThrow(
      'ECONNREFUSED',
    );
    const broken = jest.fn().mockRejectedValue(new InternalServerErrorException());
    await expect(handlerWith({ applyHostEvent: broken }).handler.handle(json(event), undefined)).rejects.toThrow(
      InternalServerErrorException,
    );
  });

  it('names at most ten fields in a refusal, however many are wrong', async () => {
    const extra = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));
    const { handler } = handlerWith();
    const verdict = await handler.handle(json({ ...event, ...extra }), undefined);
    expect(verdict.outcome === 'refused' && verdict.refusal.errors.length).toBe(10);
    expect(verdict.outcome === 'refused' && verdict.refusal.message.length).toBeLessThanOrEqual(1_000);
  });
});

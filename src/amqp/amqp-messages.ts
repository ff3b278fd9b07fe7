import { Type } from 'class-transformer';
import { Equals, IsDefined, IsObject, Matches, ValidateNested } from 'class-validator';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN } from '../common/validation';
import { HostInstanceCreateDto, InstanceEventDto } from '../instances/instance.dto';
import { UsageReportDto } from '../metering/metered-usage.dto';

/*
 * The messages a host publishes (README, "Events over AMQP"). Each is an HTTP call written down: `type` names the
 * call, the instance id of its path sits beside it, and its body goes under a key of its own, validated by the same
 * DTO class as over HTTP. A field in a refusal is named by its path in the message (`event.at`).
 */

/** `POST /host/instances`. */
export class InstanceRegisteredMessage {
  @Equals('instance.registered')
  type: 'instance.registered';

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => HostInstanceCreateDto)
  instance: HostInstanceCreateDto;
}

/** `POST /host/instances/:id/events`. */
export class InstanceEventMessage {
  @Equals('instance.event')
  type: 'instance.event';

  @Matches(HOST_ID_PATTERN, { message: `instanceId ${HOST_ID_MESSAGE}` })
  instanceId: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => InstanceEventDto)
  event: InstanceEventDto;
}

/** `POST /host/instances/:id/usage`. */
export class InstanceUsageMessage {
  @Equals('instance.usage')
  type: 'instance.usage';

  @Matches(HOST_ID_PATTERN, { message: `instanceId ${HOST_ID_MESSAGE}` })
  instanceId: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => UsageReportDto)
  usage: UsageReportDto;
}

import { BadGatewayException, ConflictException } from '@nestjs/common';

export const noCapacityMessage = (location: string, plan: string): string => `no capacity in ${location} for ${plan}`;

export const noCapacity = (location: string, plan: string): ConflictException =>
  new ConflictException(noCapacityMessage(location, plan));

export const noRoomToResize = (hypervisorId: string, plan: string): ConflictException =>
  new ConflictException(`hypervisor ${hypervisorId} has no room for ${plan}; the instance keeps its plan`);

export const provisioningFailed = (name: string): BadGatewayException =>
  new BadGatewayException(
    `the host could not create "${name}" right now; nothing was created and nothing will be charged, please try again`,
  );

export const provisioningExpired = (name: string): BadGatewayException =>
  new BadGatewayException(
    `the host took too long to create "${name}"; it was released and will be removed from the host, nothing will be charged`,
  );

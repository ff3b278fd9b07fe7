import { ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { Refusal, refusalStatus } from './creation-rules';

/** Another user's instance answers exactly like one that does not exist. */
export const instanceNotFound = (id: string): NotFoundException =>
  new NotFoundException(`instance ${id} does not exist`);

export const instanceTerminated = (id: string): ConflictException =>
  new ConflictException(`instance ${id} is terminated`);

/** The refusal as the HTTP answer creation gives: 402 for the balance, 409 for the rest. */
export function refusalException(refusal: Refusal): HttpException {
  const status = refusalStatus(refusal.code);
  const error = status === 402 ? 'Payment Required' : 'Conflict';
  return new HttpException({ statusCode: status, error, message: refusal.reason, reasonCode: refusal.code }, status);
}

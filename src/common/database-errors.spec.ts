import { ServiceUnavailableException } from '@nestjs/common';
import { lastValueFrom, throwError } from 'rxjs';
import { DatabaseUnavailableInterceptor } from './database-unavailable.interceptor';

const failingWith = (error: unknown) =>
  lastValueFrom(new DatabaseUnavailableInterceptor().intercept({} as never, { handle: () => throwError(() => error) }));
const driverError = (code: string) => Object.assign(new Error(code), { driverError: { code } });

describe('a route of the plugin when the database cannot serve', () => {
  it.each([
    ['ER_UNKNOWN_COM_ERROR', 'the database cluster is re-forming after losing a node; try again'],
    ['ER_ERROR_DURING_COMMIT', 'the database cluster is re-forming after losing a node; try again'],
    ['ER_LOCK_DEADLOCK', 'the database is busy with concurrent changes; try again'],
    ['PROTOCOL_CONNECTION_LOST', 'the database cannot be reached just now; try again'],
    ['ECONNREFUSED', 'the database cannot be reached just now; try again'],
  ])('answers 503 "try again" for %s, not 500', async (code, message) => {
    const answer = await failingWith(driverError(code)).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(ServiceUnavailableException);
    expect((answer as ServiceUnavailableException).message).toBe(message);
  });

  it('passes every other error through untouched, for the host to answer', async () => {
    const duplicate = driverError('ER_DUP_ENTRY');
    await expect(failingWith(duplicate)).rejects.toBe(duplicate);
    const prototypeName = driverError('toString');
    await expect(failingWith(prototypeName)).rejects.toBe(prototypeName);
  });
});

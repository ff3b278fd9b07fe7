import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { unavailableAnswer } from './database-errors';

/**
 * Turns a database that cannot serve just now into 503 "try again" on every route of the plugin, not 500: a
 * read outside a transaction on a Galera node cut off from the cluster (1047), a connection to a node that died, a
 * transaction whose retries ran out. Any other error passes through untouched to the host's filters.
 */
@Injectable()
export class DatabaseUnavailableInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => unavailableAnswer(error) ?? error)));
  }
}

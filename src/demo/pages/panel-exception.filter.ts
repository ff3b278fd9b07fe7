import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormExpiredException } from './panel-csrf';
import { PanelSession } from './panel-session';
import { PluginApiError } from './plugin-api';

const HEADINGS: Record<number, string> = {
  400: 'That did not work',
  401: 'Please sign in',
  402: 'Not enough credit',
  403: 'Admins only',
  404: 'Not found',
  409: 'That is not possible right now',
  502: 'The hosting platform did not answer',
};

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Whatever goes wrong behind a page is shown as a page with a sentence on it, never as JSON or a stack trace. */
@Catch()
@Injectable()
export class PanelExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Panel');

  constructor(private readonly session: PanelSession) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const viewer = this.session.user(request)?.viewer ?? null;
    let status = 500;
    let text = 'Something went wrong on our side; the details are in the server log. Please try again.';
    if (exception instanceof PluginApiError) {
      status = exception.status;
      text = exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      text = messageOf(exception);
    }
    if (status >= 500 && status !== 502) this.logger.error(exception instanceof Error ? exception.stack : exception);
    if (status === 401) return this.session.signIn(response);
    const heading = exception instanceof FormExpiredException ? 'Please reload the page' : HEADINGS[status];
    this.session.message(response, viewer, status, heading ?? 'Something went wrong', text);
  }
}

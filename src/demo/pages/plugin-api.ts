import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DEMO_CONFIG, DemoConfig, pluginBasePath } from '../demo.config';
import type { ApiFieldError } from './api-types';

/** A refusal from the plugin's API, with the message and per-field errors its 4xx body carried. */
export class PluginApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ApiFieldError[] = [],
  ) {
    super(message);
  }

  /** The errors for one form field, for the page to show beside it. */
  forField(field: string): string[] {
    return this.errors.filter((error) => error.field === field).map((error) => error.message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The plugin's API as one signed-in user sees it. */
export class PluginApiSession {
  constructor(
    private readonly origin: string,
    /** Where the plugin is mounted, e.g. "/cloud-billing". */
    private readonly basePath: string,
    private readonly userId: string,
  ) {}

  /** The address of a plugin route for the browser (a download link), under the prefix the plugin was given. */
  href(path: string, query: Record<string, string | number | undefined> = {}): string {
    return `${this.basePath}${withQuery(path, query)}`;
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.json<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: object = {}): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  put<T>(path: string, body: object): Promise<T> {
    return this.json<T>('PUT', path, body);
  }

  patch<T>(path: string, body: object): Promise<T> {
    return this.json<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  /** An HTML (or other text) route, e.g. the widget fragment; null when the route does not exist. */
  async text(path: string, query: Record<string, string | number | undefined> = {}): Promise<string | null> {
    const response = await this.send('GET', withQuery(path, query), undefined, 'text/html');
    if (response.status === 404) return null;
    const text = await response.text();
    if (!response.ok) throw errorFrom(response.status, safeJson(text));
    return text;
  }

  private async json<T>(method: Method, path: string, body?: object): Promise<T> {
    const response = await this.send(method, path, body, 'application/json');
    const text = await response.text();
    const parsed = safeJson(text);
    if (!response.ok) throw errorFrom(response.status, parsed);
    return parsed as T;
  }

  private send(method: Method, path: string, body: object | undefined, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept, 'x-user-id': this.userId };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.origin}${this.href(path)}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

/**
 * How the pages reach the plugin: over HTTP, on the very server that is answering the page, the way any host
 * page or front end would. The pages then show exactly what the API answers, its validation messages included,
 * and never depend on the plugin's internal services.
 */
@Injectable()
export class PluginApi {
  private readonly basePath: string;

  constructor(@Inject(DEMO_CONFIG) config: DemoConfig) {
    this.basePath = pluginBasePath(config);
  }

  forUser(request: Request, userId: string): PluginApiSession {
    return new PluginApiSession(loopbackUrl(request), this.basePath, userId);
  }
}

/** The address this request came in on: reachable by definition, whatever interface and port the app listens on. */
function loopbackUrl(request: Request): string {
  const { localAddress, localPort } = request.socket;
  if (!localAddress || !localPort) throw new Error('the page request has no local socket address');
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return `http://${host}:${localPort}`;
}

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorFrom(status: number, body: unknown): PluginApiError {
  const { message, errors } = (body ?? {}) as { message?: unknown; errors?: unknown };
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
  const fieldErrors = Array.isArray(errors) ? (errors as ApiFieldError[]) : [];
  return new PluginApiError(status, text ?? `the billing service answered ${status}`, fieldErrors);
}

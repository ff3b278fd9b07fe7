import type { INestApplication } from '@nestjs/common';

export interface MappedRoute {
  /** Upper case, e.g. "GET". */
  method: string;
  /** Express syntax, e.g. "/cloud-billing/admin/currencies/:code". */
  path: string;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * The routes the running app really answers, read from the Express router
 * (what Nest mapped), not from decorators or the OpenAPI document.
 */
export function mappedRoutes(app: INestApplication): MappedRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack?: RouterLayer[] } };
  const stack = express.router?.stack;
  if (!Array.isArray(stack)) throw new Error('cannot read the Express router: has @nestjs/platform-express changed?');
  return stack.flatMap((layer) => {
    const route = layer.route;
    if (!route || typeof route.path !== 'string') return [];
    const path = route.path;
    return Object.keys(route.methods)
      .filter((method) => route.methods[method] && method !== '_all')
      .map((method) => ({ method: method.toUpperCase(), path }));
  });
}

export const routeKey = (route: MappedRoute): string => `${route.method} ${route.path}`;

/** "/a/:id" → "/a/{id}", the OpenAPI spelling. */
export const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { bodyShapeViolations } from './json-shape';
import { FieldViolation, invalidInput } from './validation';

/** The one body type the plugin's API reads (what the host's JSON parser parses). */
const JSON_MEDIA_TYPE = 'application/json';

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

function mediaType(request: Request): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * A form or text body is left unparsed by the JSON parser, so without this the handler would see `{}` and answer
 * 200 doing nothing; a form body would also let a cross-site form post reach the API.
 */
function refuseNonJsonBody(request: Request): void {
  if (!hasBody(request) || mediaType(request) === JSON_MEDIA_TYPE) return;
  const message = `the body must be JSON (Content-Type: ${JSON_MEDIA_TYPE})`;
  throw new UnsupportedMediaTypeException({
    statusCode: 415,
    error: 'Unsupported Media Type',
    message,
    errors: [{ field: 'content-type', rule: 'isJson', message }],
  });
}

/** The JSON body must be an object: every body DTO is one. */
function bodyTypeViolations(request: Request): FieldViolation[] {
  if (!hasBody(request)) return [];
  const body: unknown = request.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return [];
  return [{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object' }];
}

interface RouteArg {
  data?: unknown;
}

/**
 * The names the handler takes from the query or body (`@Query('name')`), or null when it takes the whole of it as a
 * DTO (`@Query() dto`), which the validation pipe then checks field by field, unknown ones included.
 */
function declaredKeys(context: ExecutionContext, source: RouteParamtypes): Set<string> | null {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ??
    {}) as Record<string, RouteArg>;
  const names = Object.entries(args)
    .filter(([key]) => key.split(':')[0] === String(source))
    .map(([, arg]) => arg.data);
  if (names.some((name) => typeof name !== 'string')) return null;
  return new Set(names as string[]);
}

/** Worded as the validation pipe words an unknown field, so routes with and without a DTO answer alike. */
function undeclaredKeyViolations(context: ExecutionContext, source: RouteParamtypes, given: unknown): FieldViolation[] {
  const declared = declaredKeys(context, source);
  if (!declared || typeof given !== 'object' || given === null) return [];
  return Object.keys(given)
    .filter((key) => !declared.has(key))
    .map((key) => ({ field: key, rule: 'whitelistValidation', message: `property ${key} should not exist` }));
}

/**
 * On every plugin controller, after its auth guard and before any pipe: a body that is not JSON is a 415; a body
 * that is not an object, nests too deep or carries a prototype key, and a query parameter or body field the route
 * does not take, are a 400 naming each. Nothing here recurses, so no body can overflow the stack on its way to validation.
 */
@Injectable()
export class RequestShapeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    refuseNonJsonBody(request);
    const typeViolations = bodyTypeViolations(request);
    const bodyViolations = typeViolations.length > 0 ? typeViolations : bodyShapeViolations(request.body);
    const violations = [
      ...bodyViolations,
      ...(bodyViolations.length > 0 ? [] : undeclaredKeyViolations(context, RouteParamtypes.BODY, request.body)),
      ...undeclaredKeyViolations(context, RouteParamtypes.QUERY, request.query),
    ];
    if (violations.length > 0) throw invalidInput(violations);
    return true;
  }
}

import { bodyShapeViolations } from '../common/json-shape';
import type { FieldViolation } from '../common/validation';

/** As much as the host's JSON parser takes in an HTTP body by default (body-parser's 100 kB). */
export const MAX_MESSAGE_BYTES = 100 * 1024;
const JSON_MEDIA_TYPE = 'application/json';

export type ParsedBody = { body: Record<string, unknown>; type: string } | { violations: FieldViolation[] };

const refused = (field: string, rule: string, message: string): ParsedBody => ({
  violations: [{ field, rule, message }],
});

/**
 * A message's content as the HTTP API would take its body: JSON (a content type, when the publisher set one, must
 * say so), an object, no deeper than the API allows and without prototype keys, and a `type` among `types`. What
 * the message's class then checks field by field is left to the validation pipe.
 */
export function parseMessageBody(content: Buffer, contentType: string | undefined, types: string[]): ParsedBody {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== '' && mediaType !== JSON_MEDIA_TYPE) {
    return refused('content-type', 'isJson', `the message must be JSON (content_type ${JSON_MEDIA_TYPE})`);
  }
  if (content.length > MAX_MESSAGE_BYTES) {
    return refused('body', 'maxSize', `the message must be at most ${MAX_MESSAGE_BYTES} bytes`);
  }
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    return refused('body', 'isJson', 'the message must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refused('body', 'isObject', 'the message must be a JSON object');
  }
  const violations = bodyShapeViolations(body);
  if (violations.length > 0) return { violations };
  const { type } = body as { type?: unknown };
  if (typeof type !== 'string' || !types.includes(type)) {
    return refused('type', 'isIn', `type must be one of the following values: ${types.join(', ')}`);
  }
  return { body: body as Record<string, unknown>, type };
}

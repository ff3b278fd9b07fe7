import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../package.json';

export const DOCS_PATH = 'docs';
/** Name of the security scheme the docs UI uses to send the demo's user header. */
export const DEMO_USER_SCHEME = 'x-user-id';

/**
 * Serves the OpenAPI document of every route (the plugin's under its prefix,
 * and the demo's) at /docs (UI) and /docs-json. Must run before app.init():
 * routes added after it sit behind Nest's 404 handler.
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('cloud-billing (demo host)')
    .setDescription(
      'Hourly credit billing for a hypervisor panel. Authorize with an x-user-id: any id is a user; ' +
        'ids in DEMO_ADMINS (default "admin") are admins. Credit amounts are decimal strings.',
    )
    .setVersion(version)
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'x-user-id', description: 'the demo user id, e.g. admin or alice' },
      DEMO_USER_SCHEME,
    )
    .addSecurityRequirements(DEMO_USER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    swaggerOptions: { persistAuthorization: true },
  });
  return document;
}

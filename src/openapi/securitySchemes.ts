import type { SanitizedConfig } from 'payload'

import type { OpenApiSecurityScheme, SecurityRequirement } from './types.js'

/**
 * Payload's three ways to authenticate. JWT and API key share the `Authorization` header (only the
 * prefix differs), which OpenAPI can express only as two `apiKey` schemes on the same header; the
 * descriptions say what to put in it.
 */
export const securitySchemes = (
  config: Pick<SanitizedConfig, 'collections' | 'cookiePrefix'>,
  apiRoute: string,
): { schemes: Record<string, OpenApiSecurityScheme>; security: SecurityRequirement[] } => {
  const authCollections = config.collections.filter((collection) => collection.auth && !collection.slug.startsWith('payload-'))
  const schemes: Record<string, OpenApiSecurityScheme> = {
    jwt: {
      description: `Header value \`JWT <token>\` with the token from \`POST ${apiRoute}/<auth collection>/login\`.`,
      in: 'header',
      name: 'Authorization',
      type: 'apiKey',
    },
  }
  authCollections
    .filter((collection) => Boolean(collection.auth.useAPIKey))
    .forEach((collection, index) => {
      schemes[index === 0 ? 'apiKey' : `${collection.slug}ApiKey`] = {
        description:
          `Header value \`${collection.slug} API-Key <key>\` for headless clients. Enable a key with ` +
          `\`PATCH ${apiRoute}/${collection.slug}/<id>\` and \`{"enableAPIKey": true, "apiKey": "…"}\`.`,
        in: 'header',
        name: 'Authorization',
        type: 'apiKey',
      }
    })
  schemes.cookie = {
    description: 'The session cookie set by login (what the admin panel and browsers use).',
    in: 'cookie',
    name: `${config.cookiePrefix || 'payload'}-token`,
    type: 'apiKey',
  }
  return { schemes, security: Object.keys(schemes).map((name) => ({ [name]: [] })) }
}

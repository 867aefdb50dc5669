import type { SanitizedCollectionConfig } from 'payload'

import type { JsonSchema, OpenApiPathItem, SecurityRequirement } from './types.js'

import { joinApiPath } from './naming.js'
import { jsonResponse, standardErrors } from './responses.js'

const CREDENTIALS: JsonSchema = {
  properties: { email: { format: 'email', type: 'string' }, password: { format: 'password', type: 'string' } },
  required: ['email', 'password'],
  type: 'object',
}

const MESSAGE: JsonSchema = { properties: { message: { type: 'string' } }, required: ['message'], type: 'object' }

const session = (user: JsonSchema, tokenKey: 'refreshedToken' | 'token'): JsonSchema => ({
  properties: {
    exp: { description: 'Token expiry, seconds since the epoch', type: 'integer' },
    message: { type: 'string' },
    [tokenKey]: { description: 'Send as `Authorization: JWT <token>`; also set as the session cookie', type: 'string' },
    user,
  },
  required: ['user'],
  type: 'object',
})

/**
 * Payload's auth routes of an auth-enabled collection (login, logout, me, refresh-token,
 * first-register). `defaultSecurity` is spelled out on `me` so it can add "or anonymous".
 */
export const authPaths = ({
  apiRoute,
  collection,
  create,
  defaultSecurity,
  doc,
  name,
  tag,
}: {
  apiRoute: string
  collection: SanitizedCollectionConfig
  create: JsonSchema
  defaultSecurity: SecurityRequirement[]
  doc: JsonSchema
  name: string
  tag: string
}): Record<string, OpenApiPathItem> => {
  const base = joinApiPath(apiRoute, collection.slug)
  return {
    [`${base}/first-register`]: {
      post: {
        description: 'Only while the collection is empty: creates the first user (who becomes admin) and signs them in.',
        operationId: `registerFirst${name}`,
        requestBody: { content: { 'application/json': { schema: create } }, required: true },
        responses: { '200': jsonResponse('Registered and signed in', session(doc, 'token')), ...standardErrors(400, 403) },
        security: [],
        summary: 'Register the first user',
        tags: [tag],
      },
    },
    [`${base}/login`]: {
      post: {
        operationId: `login${name}`,
        requestBody: { content: { 'application/json': { schema: CREDENTIALS } }, required: true },
        responses: { '200': jsonResponse('Signed in; also sets the session cookie', session(doc, 'token')), ...standardErrors(400, 401) },
        security: [],
        summary: 'Sign in with email and password',
        tags: [tag],
      },
    },
    [`${base}/logout`]: {
      post: {
        operationId: `logout${name}`,
        responses: { '200': jsonResponse('Signed out; the session cookie is expired', MESSAGE), ...standardErrors(400) },
        summary: 'Sign out',
        tags: [tag],
      },
    },
    [`${base}/me`]: {
      get: {
        operationId: `me${name}`,
        responses: {
          '200': jsonResponse('The signed-in user, or `user: null` when anonymous', {
            properties: {
              collection: { type: 'string' },
              exp: { type: 'integer' },
              message: { type: 'string' },
              strategy: { type: 'string' },
              token: { type: 'string' },
              user: { anyOf: [doc, { type: 'null' }] },
            },
            required: ['user'],
            type: 'object',
          }),
        },
        security: [{}, ...defaultSecurity],
        summary: 'Who am I',
        tags: [tag],
      },
    },
    [`${base}/refresh-token`]: {
      post: {
        operationId: `refreshToken${name}`,
        responses: { '200': jsonResponse('A fresh token', session(doc, 'refreshedToken')), ...standardErrors(401) },
        summary: 'Refresh the session token',
        tags: [tag],
      },
    },
  }
}

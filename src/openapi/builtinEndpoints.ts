/**
 * Payload's own endpoints (added to `config.endpoints` and every `collection.endpoints` during
 * sanitisation, unmarked). The generator documents the REST API they form itself, so it skips them
 * when it looks for custom endpoints. Keys are `<method> <path>` as Payload 3.x registers them.
 */
export const PAYLOAD_ROOT_ENDPOINTS: ReadonlySet<string> = new Set(['get /access'])

export const PAYLOAD_COLLECTION_ENDPOINTS: ReadonlySet<string> = new Set([
  // CRUD, versions, access (collections/endpoints)
  'get /count',
  'post /',
  'delete /',
  'delete /:id',
  'post /access/:id?',
  'get /versions',
  'post /:id/duplicate',
  'get /',
  'get /:id',
  'get /versions/:id',
  'post /versions/:id',
  'patch /',
  'patch /:id',
  // auth collections (auth/endpoints)
  'post /forgot-password',
  'get /init',
  'post /login',
  'post /logout',
  'get /me',
  'post /refresh-token',
  'post /first-register',
  'post /reset-password',
  'post /unlock',
  'post /verify/:id',
  'post /:id/api-key/reveal',
  // upload collections (uploads/endpoints)
  'get /paste-url/:id?',
  'get /file/:filename',
])

export const endpointKey = (method: string, path: string): string => `${method.toLowerCase()} ${path}`

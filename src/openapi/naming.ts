/** `communication-logs` → `CommunicationLogs`, `Communication Log` → `CommunicationLog`. */
export const toPascalCase = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')

/** `/:id/send` → `{ path: '/{id}/send', params: ['id'] }` (Payload's path-to-regexp syntax → OpenAPI templating). */
export const toOpenApiPath = (payloadPath: string): { params: string[]; path: string } => {
  const params: string[] = []
  // Optional params (`:id?`) become plain ones: OpenAPI path parameters are always required.
  const path = payloadPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)\??/g, (_match, name: string) => {
    params.push(name)
    return `{${name}}`
  })
  return { params, path }
}

/** `post` + `/api/segments/{id}/send` → `postSegmentsIdSend`; used when an endpoint names no operationId. */
export const deriveOperationId = (method: string, openApiPath: string): string => {
  const words = openApiPath
    .replace(/^\/api(?=\/|$)/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
  return method.toLowerCase() + toPascalCase(words.join(' '))
}

/** Joins `/api`, a collection slug and an endpoint path without doubled or trailing slashes. */
export const joinApiPath = (...parts: string[]): string => {
  const joined = parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')
  return `/${joined}`
}

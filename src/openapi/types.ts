/**
 * The slice of OpenAPI 3.1 this project generates. Schemas are JSON Schema 2020-12 (OpenAPI 3.1's
 * dialect), kept as plain objects because they come from `z.toJSONSchema` and from field mapping.
 */
export type JsonSchema = { [key: string]: unknown }

export type OpenApiParameter = {
  description?: string
  explode?: boolean
  in: 'cookie' | 'header' | 'path' | 'query'
  name: string
  required?: boolean
  schema: JsonSchema
  style?: 'deepObject' | 'form' | 'simple'
}

export type OpenApiMediaType = { example?: unknown; schema?: JsonSchema }

export type OpenApiResponse = {
  content?: Record<string, OpenApiMediaType>
  description: string
}

export type OpenApiRequestBody = {
  content: Record<string, OpenApiMediaType>
  description?: string
  required?: boolean
}

export type SecurityRequirement = Record<string, string[]>

export type OpenApiOperation = {
  description?: string
  operationId: string
  parameters?: OpenApiParameter[]
  requestBody?: OpenApiRequestBody
  responses: Record<string, OpenApiResponse>
  /** `[]` marks a public operation; absent means the document's default security applies. */
  security?: SecurityRequirement[]
  summary?: string
  tags?: string[]
  /** Which CRM roles may call it (our extension; absent when any signed-in user or nobody needs one). */
  'x-roles'?: string[]
}

export type HttpMethod = 'delete' | 'get' | 'patch' | 'post' | 'put'

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & { parameters?: OpenApiParameter[] }

export type OpenApiSecurityScheme = {
  description?: string
  in: 'cookie' | 'header' | 'query'
  name: string
  type: 'apiKey'
}

export type OpenApiDocument = {
  components: {
    schemas: Record<string, JsonSchema>
    securitySchemes: Record<string, OpenApiSecurityScheme>
  }
  info: { description?: string; title: string; version: string }
  openapi: '3.1.0'
  paths: Record<string, OpenApiPathItem>
  security: SecurityRequirement[]
  servers: { description?: string; url: string }[]
  tags: { description?: string; name: string }[]
}

import { deriveOperationId, joinApiPath, toOpenApiPath, toPascalCase } from './naming.js'

describe('naming', () => {
  it('should turn slugs and labels into PascalCase', () => {
    expect(toPascalCase('communication-logs')).toBe('CommunicationLogs')
    expect(toPascalCase('Communication Log')).toBe('CommunicationLog')
  })

  it("should convert Payload's :param syntax to OpenAPI templating", () => {
    expect(toOpenApiPath('/:id/send')).toEqual({ params: ['id'], path: '/{id}/send' })
    expect(toOpenApiPath('/batches/:batchId')).toEqual({ params: ['batchId'], path: '/batches/{batchId}' })
    expect(toOpenApiPath('/access/:id?')).toEqual({ params: ['id'], path: '/access/{id}' })
    expect(toOpenApiPath('/health')).toEqual({ params: [], path: '/health' })
  })

  it('should derive an operationId from method and path', () => {
    expect(deriveOperationId('post', '/api/segments/{id}/send')).toBe('postSegmentsIdSend')
    expect(deriveOperationId('get', '/api/openapi.json')).toBe('getOpenapiJson')
  })

  it('should join path parts without doubled or trailing slashes', () => {
    expect(joinApiPath('/api', 'customers', '/')).toBe('/api/customers')
    expect(joinApiPath('/api/', '/customers', '/import')).toBe('/api/customers/import')
  })
})

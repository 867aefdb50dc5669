import type { TestPayload } from '../helpers/bootPayload.js'

import { compileErrors, validate } from '@readme/openapi-parser'

import { bootTestPayload } from '../helpers/bootPayload.js'

type Document = {
  components: { securitySchemes: Record<string, { in: string; name: string; type: string }> }
  openapi: string
  paths: Record<string, Record<string, unknown>>
}

describe('OpenAPI description and Swagger UI', () => {
  let app: TestPayload

  beforeAll(async () => {
    app = await bootTestPayload('openapi')
  })

  afterAll(async () => {
    await app?.cleanup()
  })

  const fetchDocument = async (): Promise<Document> => {
    const response = await app.request('/api/openapi.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    return (await response.json()) as Document
  }

  it('should serve /api/openapi.json without authentication', async () => {
    const response = await app.request('/api/openapi.json')
    expect(response.status).toBe(200)
  })

  it('should serve a valid OpenAPI 3.1 document', async () => {
    const document = await fetchDocument()
    expect(document.openapi).toBe('3.1.0')
    const result = await validate(document as unknown as Parameters<typeof validate>[0])
    if (!result.valid) throw new Error(compileErrors(result))
  })

  it('should document every CRM collection and the health endpoint', async () => {
    const { paths } = await fetchDocument()
    for (const slug of ['customers', 'orders', 'segments', 'campaigns', 'communication-logs', 'users']) {
      expect(paths[`/api/${slug}`]).toEqual(expect.objectContaining({ get: expect.anything(), post: expect.anything() }))
      expect(paths[`/api/${slug}/{id}`]).toEqual(expect.objectContaining({ delete: expect.anything(), get: expect.anything(), patch: expect.anything() }))
    }
    expect(paths['/api/users/login']).toBeDefined()
    expect(paths['/api/health']?.get).toEqual(expect.objectContaining({ security: [] }))
    expect(Object.keys(paths).some((path) => path.startsWith('/api/payload-'))).toBe(false)
  })

  it('should declare the JWT, API key and cookie security schemes', async () => {
    const { components } = await fetchDocument()
    expect(components.securitySchemes.jwt).toMatchObject({ in: 'header', name: 'Authorization', type: 'apiKey' })
    expect(components.securitySchemes.apiKey).toMatchObject({ in: 'header', name: 'Authorization', type: 'apiKey' })
    expect(components.securitySchemes.cookie).toMatchObject({ in: 'cookie', name: 'payload-token', type: 'apiKey' })
  })

  it('should serve Swagger UI at /api/docs from local assets only', async () => {
    const response = await app.request('/api/docs')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).toContain('id="swagger-ui"')
    expect(html).not.toMatch(/https?:\/\//)
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!)
    expect(urls.length).toBeGreaterThan(0)
    for (const url of urls) {
      expect(url.startsWith('/api/docs/')).toBe(true)
      const asset = await app.request(url)
      expect(asset.status).toBe(200)
    }
  })

  it('should serve assets with the right content types', async () => {
    const css = await app.request('/api/docs/swagger-ui.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toContain('text/css')
    const bundle = await app.request('/api/docs/swagger-ui-bundle.js')
    expect(bundle.headers.get('content-type')).toContain('text/javascript')
    expect((await bundle.text()).length).toBeGreaterThan(100_000)
    const icon = await app.request('/api/docs/favicon-32x32.png')
    expect(icon.headers.get('content-type')).toBe('image/png')
    const init = await app.request('/api/docs/crm-swagger-init.js')
    expect(await init.text()).toContain('/api/openapi.json')
  })

  it('should answer 404 for unknown assets and path traversal', async () => {
    for (const path of ['/api/docs/nope.js', '/api/docs/package.json', '/api/docs/..%2Fpackage.json', '/api/docs/index.html']) {
      const response = await app.request(path)
      expect(response.status).toBe(404)
    }
  })

  it('should keep /api/health working through defineEndpoint', async () => {
    const response = await app.request('/api/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ db: expect.stringMatching(/^(sqlite|postgres)$/), ok: true, queue: expect.any(Object) })
  })
})

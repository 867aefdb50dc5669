import type { PayloadRequest } from 'payload'

import { APIError, ValidationError } from 'payload'
import { z } from 'zod'

import { defineEndpoint } from './defineEndpoint.js'
import { readEndpointDoc } from '../openapi/endpointDoc.js'

type LoggedError = { err: unknown; msg: string }

type FakeRequestInit = {
  body?: string
  contentType?: string
  method?: string
  query?: Record<string, unknown>
  routeParams?: Record<string, unknown>
  user?: null | { id: number; roles: string[] }
}

/** A minimal stand-in for Payload's request: a real Web Request plus the properties defineEndpoint reads. */
const fakeRequest = ({ body, contentType, method = 'POST', query = {}, routeParams = {}, user = null }: FakeRequestInit = {}) => {
  const logged: LoggedError[] = []
  const headers = new Headers(contentType ? { 'Content-Type': contentType } : {})
  const request = new Request('http://localhost/api/thing', { body, headers, method })
  const req = Object.assign(request, {
    payload: { logger: { error: (entry: LoggedError) => logged.push(entry) } },
    query,
    routeParams,
    user,
  }) as unknown as PayloadRequest
  return { logged, req }
}

const readErrors = async (response: Response): Promise<{ message: string; path?: string }[]> =>
  ((await response.json()) as { errors: { message: string; path?: string }[] }).errors

const echo = defineEndpoint({
  auth: ['admin', 'marketer'],
  body: z.object({ email: z.email(), tags: z.array(z.string()).optional() }),
  handler: ({ body, user }) => Response.json({ email: body.email, userId: user.id }),
  method: 'post',
  path: '/echo',
  responses: { 200: { description: 'Echo' } },
  summary: 'Echo',
})

describe('defineEndpoint', () => {
  it('should let anyone call a public endpoint', async () => {
    const endpoint = defineEndpoint({
      auth: 'public',
      handler: () => Response.json({ ok: true }),
      method: 'get',
      path: '/ping',
      responses: { 200: { description: 'Pong' } },
      summary: 'Ping',
    })
    const response = await endpoint.handler(fakeRequest({ method: 'GET' }).req)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('should answer 401 with the error envelope when nobody is signed in', async () => {
    const response = await echo.handler(fakeRequest({ body: '{"email":"a@b.co"}', contentType: 'application/json' }).req)
    expect(response.status).toBe(401)
    expect(await readErrors(response)).toEqual([{ message: expect.stringContaining('signed in') }])
  })

  it('should answer 403 when the user holds none of the allowed roles', async () => {
    const { req } = fakeRequest({ body: '{"email":"a@b.co"}', contentType: 'application/json', user: { id: 1, roles: ['viewer'] } })
    const response = await echo.handler(req)
    expect(response.status).toBe(403)
    expect((await readErrors(response))[0]!.message).toContain('admin, marketer')
  })

  it('should accept any signed-in user when auth is "user"', async () => {
    const endpoint = defineEndpoint({
      auth: 'user',
      handler: ({ user }) => Response.json({ id: user.id }),
      method: 'get',
      path: '/me-too',
      responses: { 200: { description: 'Id' } },
      summary: 'Me',
    })
    const response = await endpoint.handler(fakeRequest({ method: 'GET', user: { id: 7, roles: ['viewer'] } }).req)
    expect(await response.json()).toEqual({ id: 7 })
  })

  it('should hand the parsed, validated body to the handler', async () => {
    const { req } = fakeRequest({
      body: '{"email":"a@b.co","extra":1}',
      contentType: 'application/json; charset=utf-8',
      user: { id: 3, roles: ['marketer'] },
    })
    const response = await echo.handler(req)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ email: 'a@b.co', userId: 3 })
  })

  it('should answer 400 naming the field when the body fails validation', async () => {
    const { req } = fakeRequest({ body: '{"email":"nope","tags":[1]}', contentType: 'application/json', user: { id: 1, roles: ['admin'] } })
    const response = await echo.handler(req)
    expect(response.status).toBe(400)
    const errors = await readErrors(response)
    expect(errors.map((error) => error.path)).toEqual(['email', 'tags.0'])
    expect(errors[0]!.message).toContain('"email"')
  })

  it('should answer 400 for malformed JSON', async () => {
    const { req } = fakeRequest({ body: '{"email":', contentType: 'application/json', user: { id: 1, roles: ['admin'] } })
    const response = await echo.handler(req)
    expect(response.status).toBe(400)
    expect((await readErrors(response))[0]!.message).toMatch(/^Malformed JSON body/)
  })

  it('should answer 400 for a body that is not JSON', async () => {
    const { req } = fakeRequest({ body: 'email=a@b.co', contentType: 'application/x-www-form-urlencoded', user: { id: 1, roles: ['admin'] } })
    const response = await echo.handler(req)
    expect(response.status).toBe(400)
    expect((await readErrors(response))[0]!.message).toContain('application/x-www-form-urlencoded')
  })

  it('should answer 400 when a required body is missing', async () => {
    const response = await echo.handler(fakeRequest({ user: { id: 1, roles: ['admin'] } }).req)
    expect(response.status).toBe(400)
    expect((await readErrors(response))[0]!.message).toBe('A JSON request body is required.')
  })

  it('should reuse a body Payload already parsed into req.data', async () => {
    const { req } = fakeRequest({ user: { id: 1, roles: ['admin'] } })
    req.data = { email: 'pre@parsed.io' }
    const response = await echo.handler(req)
    expect(await response.json()).toEqual({ email: 'pre@parsed.io', userId: 1 })
  })

  it('should validate and coerce query and path params', async () => {
    const endpoint = defineEndpoint({
      auth: 'public',
      handler: ({ params, query }) => Response.json({ id: params.id, limit: query.limit }),
      method: 'get',
      params: z.object({ id: z.coerce.number().int() }),
      path: '/:id/customers',
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
      responses: { 200: { description: 'Page' } },
      summary: 'Members',
    })
    const ok = await endpoint.handler(fakeRequest({ method: 'GET', query: { limit: '5' }, routeParams: { collection: 'segments', id: '42' } }).req)
    expect(await ok.json()).toEqual({ id: 42, limit: 5 })

    const badQuery = await endpoint.handler(fakeRequest({ method: 'GET', query: { limit: '500' }, routeParams: { id: '1' } }).req)
    expect(badQuery.status).toBe(400)
    expect(await readErrors(badQuery)).toEqual([expect.objectContaining({ location: 'query', path: 'limit' })])

    const badParam = await endpoint.handler(fakeRequest({ method: 'GET', routeParams: { id: 'abc' } }).req)
    expect(badParam.status).toBe(400)
    expect(await readErrors(badParam)).toEqual([expect.objectContaining({ location: 'params', path: 'id' })])
  })

  it('should log unexpected errors and answer a generic 500 without a stack', async () => {
    const endpoint = defineEndpoint({
      auth: 'public',
      handler: () => {
        throw new Error('secret connection string leaked')
      },
      method: 'get',
      path: '/boom',
      responses: { 200: { description: 'Never' } },
      summary: 'Boom',
    })
    const { logged, req } = fakeRequest({ method: 'GET' })
    const response = await endpoint.handler(req)
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(text).not.toContain('secret')
    expect(text).not.toContain('at ')
    expect(logged).toHaveLength(1)
    expect(logged[0]!.err).toBeInstanceOf(Error)
    expect(logged[0]!.msg).toContain('failed')
  })

  it("should keep the status and message of Payload's public errors", async () => {
    const endpoint = defineEndpoint({
      auth: 'public',
      handler: () => {
        throw new APIError('Segment not found', 404)
      },
      method: 'get',
      path: '/missing',
      responses: { 404: { description: 'Missing' } },
      summary: 'Missing',
    })
    const response = await endpoint.handler(fakeRequest({ method: 'GET' }).req)
    expect(response.status).toBe(404)
    expect(await readErrors(response)).toEqual([{ message: 'Segment not found' }])
  })

  it("should keep the field paths of Payload's ValidationError", async () => {
    const endpoint = defineEndpoint({
      auth: 'public',
      handler: () => {
        throw new ValidationError({ collection: 'customers', errors: [{ message: 'Email is taken', path: 'email' }] })
      },
      method: 'post',
      path: '/dupe',
      responses: { 201: { description: 'Created' } },
      summary: 'Dupe',
    })
    const response = await endpoint.handler(fakeRequest().req)
    expect(response.status).toBe(400)
    expect(await readErrors(response)).toEqual([{ message: 'Email is taken', path: 'email' }])
  })

  it('should record its OpenAPI metadata on endpoint.custom', () => {
    const doc = readEndpointDoc(echo)
    expect(echo.path).toBe('/echo')
    expect(echo.method).toBe('post')
    expect(doc).toMatchObject({ auth: ['admin', 'marketer'], method: 'post', path: '/echo', summary: 'Echo' })
    expect(doc?.body).toBeDefined()
    expect(readEndpointDoc({ custom: { other: true } })).toBeUndefined()
  })
})

import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'

import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

/** Node's header object → Fetch `Headers` (without touching the request body). */
export const toFetchHeaders = (req: ExpressRequest): Headers => {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item)
    else if (value !== undefined) headers.set(key, value)
  }
  return headers
}

/** Express request → Fetch `Request`, streaming the body (uploads and CSV imports are not buffered). */
export const toFetchRequest = (req: ExpressRequest): Request => {
  const url = new URL(req.originalUrl, `http://${req.headers.host ?? 'localhost'}`)
  const headers = toFetchHeaders(req)
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(url, {
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
    headers,
    method: req.method,
  } as RequestInit)
}

/** Fetch `Response` → Express response, keeping every Set-Cookie header and streaming the body. */
export const sendFetchResponse = async (response: Response, res: ExpressResponse): Promise<void> => {
  res.status(response.status)
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') res.setHeader(key, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (!response.body) {
    res.end()
    return
  }
  await pipeline(Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>), res)
}

/**
 * Reads a whole request body into memory, up to `maxBytes`: `null` (and nothing more is read) when
 * the declared length or the bytes received go past it.
 */
export const readBoundedBody = async (req: ExpressRequest, maxBytes: number): Promise<null | Uint8Array> => {
  const declared = Number(req.headers['content-length'] ?? '')
  if (Number.isFinite(declared) && declared > maxBytes) return null
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength
    if (total > maxBytes) return null
    chunks.push(chunk)
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)
}

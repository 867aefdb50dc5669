import type { PayloadRequest } from 'payload'

import busboy from 'busboy'
import { Readable } from 'node:stream'

export type CsvSource = { message: string; ok: false; status: number } | { fileName?: string; ok: true; source: AsyncIterable<Uint8Array> }

const RAW_TYPES = new Set(['', 'application/csv', 'application/octet-stream', 'text/csv', 'text/plain'])

/**
 * The CSV bytes of an import request, streamed and never buffered whole: the `file` field of a
 * `multipart/form-data` body (parsed by busboy as it arrives), or a raw `text/csv` body.
 */
export const csvSourceOf = async (req: PayloadRequest): Promise<CsvSource> => {
  const contentType = req.headers.get('content-type') ?? ''
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase()
  const body = (req as unknown as Request).body
  if (!body) return { message: 'The request body is empty: send a CSV file.', ok: false, status: 400 }
  if (RAW_TYPES.has(mediaType)) return { ok: true, source: body as unknown as AsyncIterable<Uint8Array> }
  if (mediaType !== 'multipart/form-data') {
    await body.cancel().catch(() => undefined)
    return { message: `Send the CSV as multipart/form-data (field "file") or as text/csv, not ${mediaType}.`, ok: false, status: 415 }
  }
  return new Promise<CsvSource>((resolve) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1 } })
    } catch (err) {
      resolve({ message: `Malformed multipart body: ${err instanceof Error ? err.message : 'unreadable'}.`, ok: false, status: 400 })
      return
    }
    let isSettled = false
    const settle = (result: CsvSource) => {
      if (isSettled) return
      isSettled = true
      resolve(result)
    }
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || isSettled) {
        stream.resume()
        return
      }
      settle({ fileName: info.filename || undefined, ok: true, source: stream })
    })
    parser.on('error', (err) => settle({ message: `Malformed multipart body: ${err instanceof Error ? err.message : 'unreadable'}.`, ok: false, status: 400 }))
    parser.on('close', () => settle({ message: 'The multipart body has no "file" field: attach the CSV as "file".', ok: false, status: 400 }))
    const input = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0])
    input.on('error', (err) => parser.destroy(err))
    input.pipe(parser)
  })
}

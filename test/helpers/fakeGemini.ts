import type { AddressInfo } from 'node:net'

import { createServer } from 'node:http'

/** One request the fake received: path, headers and the raw and parsed JSON body. */
export type CapturedRequest = { body: Record<string, unknown>; headers: Record<string, string | string[] | undefined>; path: string; raw: string }

/** What the fake answers to one request. */
export type FakeReply =
  | { delayMs?: number; headers?: Record<string, string>; json: unknown; status?: number }
  | { delayMs?: number; headers?: Record<string, string>; status?: number; text: string }

export type FakeGemini = {
  close: () => Promise<void>
  /** Answers for the next requests, in order; when none is queued, `fallback` answers. */
  enqueue: (...replies: FakeReply[]) => void
  /** Every request received since the start (or the last `reset`). */
  requests: CapturedRequest[]
  reset: () => void
  /** What answers when nothing is queued. */
  setFallback: (reply: (req: CapturedRequest) => FakeReply) => void
  url: string
}

/** A Gemini `generateContent` answer whose only part is `text`. */
export const geminiText = (text: string, finishReason = 'STOP'): unknown => ({
  candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason, index: 0 }],
  modelVersion: 'fake-gemini',
  usageMetadata: { candidatesTokenCount: 10, promptTokenCount: 10, totalTokenCount: 20 },
})

/** A JSON answer (structured output), as Gemini sends it: the JSON as the text of one part. */
export const geminiJson = (value: unknown): unknown => geminiText(JSON.stringify(value))

/**
 * A local stand-in for the Gemini REST API (`POST /v1beta/models/<model>:generateContent`), reached
 * through the SDK's `httpOptions.baseUrl`. It records every request so tests can assert what left
 * the server (prompts, schemas) and replays scripted answers: success, 429, safety blocks, delays,
 * garbage. It never talks to the internet.
 */
export const startFakeGemini = async (): Promise<FakeGemini> => {
  const requests: CapturedRequest[] = []
  const queue: FakeReply[] = []
  let fallback: (req: CapturedRequest) => FakeReply = () => ({ json: { error: { code: 500, message: 'fake gemini: nothing queued', status: 'INTERNAL' } }, status: 500 })
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch {
        // Not JSON: keep it raw.
      }
      const captured: CapturedRequest = { body, headers: req.headers, path: req.url ?? '', raw }
      requests.push(captured)
      const reply = queue.shift() ?? fallback(captured)
      const send = () => {
        if (res.destroyed) return
        const payload = 'json' in reply ? JSON.stringify(reply.json) : reply.text
        res.writeHead(reply.status ?? 200, { 'content-type': 'json' in reply ? 'application/json' : 'text/plain', ...reply.headers })
        res.end(payload)
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref()
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    enqueue: (...replies) => queue.push(...replies),
    requests,
    reset: () => {
      requests.length = 0
      queue.length = 0
    },
    setFallback: (reply) => {
      fallback = reply
    },
    url: `http://127.0.0.1:${port}`,
  }
}

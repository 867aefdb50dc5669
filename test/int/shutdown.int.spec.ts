import type { ChildProcess } from 'node:child_process'
import type { ClientRequest, IncomingMessage } from 'node:http'

import type { TestDatabase } from '../helpers/testDb.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'

import { createTestDatabase, currentTestDb } from '../helpers/testDb.js'

const SERVER_SCRIPT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../helpers/shutdownServerProcess.ts')

type Server = { child: ChildProcess; exit: Promise<number | null>; output: () => string; port: number; waitFor: (text: RegExp) => Promise<void> }

/** Starts the API server process and resolves once it listens. */
const startServer = async (databaseUrl: string, env: Record<string, string> = {}): Promise<Server> => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, DATABASE_URL: databaseUrl }
  delete childEnv.NODE_OPTIONS // jest's --experimental-vm-modules is not for the server
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const waiters = new Set<{ resolve: () => void; text: RegExp }>()
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    for (const waiter of waiters) if (waiter.text.test(output)) waiter.resolve()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const waitFor = (text: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (text.test(output)) return resolve()
      const waiter = { resolve: () => (waiters.delete(waiter), resolve()), text }
      waiters.add(waiter)
      void exit.then((code) => reject(new Error(`server exited (${code}) before printing ${text}:\n${output}`)))
    })
  await waitFor(/listening http:\/\/127\.0\.0\.1:\d+/)
  const port = Number(/listening http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1])
  return { child, exit, output: () => output, port, waitFor }
}

/** Opens the slow request, sends part of its body, and resolves once the server has started answering. */
const openSlowRequest = (port: number) =>
  new Promise<{ body: Promise<string>; req: ClientRequest; res: IncomingMessage }>((resolve, reject) => {
    const req = http.request({ agent: false, headers: { 'content-type': 'application/octet-stream' }, host: '127.0.0.1', method: 'POST', path: '/api/test/slow', port })
    req.once('error', reject)
    req.once('response', (res) => {
      let text = ''
      const body = new Promise<string>((done, fail) => {
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text === 'started\n') resolve({ body, req, res })
        })
        res.once('end', () => done(text))
        res.once('error', fail)
        res.once('aborted', () => fail(new Error(`response cut after ${JSON.stringify(text)}`)))
      })
      body.catch(() => undefined)
    })
    req.write(Buffer.alloc(1000, 'a'))
  })

/** Resolves with the connection error code (the test expects a refusal). */
const connectError = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })

/** SIGTERM: stop accepting, finish in-flight requests (bounded), then close jobs, Payload and the pools. */
describe(`graceful shutdown (${currentTestDb()})`, () => {
  let db: TestDatabase
  const children: ChildProcess[] = []

  beforeAll(async () => {
    db = await createTestDatabase('shutdown')
  })

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await db?.cleanup()
  })

  it('should answer a request in flight completely, refuse new connections, then exit 0', async () => {
    const server = await startServer(db.url)
    children.push(server.child)
    const slow = await openSlowRequest(server.port)

    server.child.kill('SIGTERM')
    await server.waitFor(/SIGTERM received: shutting down/)
    // Stopped accepting while the request above is still open (its body is not even complete).
    expect(await connectError(server.port)).toBe('ECONNREFUSED')
    expect(server.child.exitCode).toBeNull()

    slow.req.end(Buffer.alloc(1000, 'b'))
    expect(slow.res.statusCode).toBe(200)
    expect(await slow.body).toBe('started\nreceived 2000\n')
    expect(await server.exit).toBe(0)
    expect(server.output()).toMatch(/Shutdown complete/)
    expect(server.output()).not.toMatch(/were cut/)
  }, 60_000)

  it('should cut a request that outlives the bound and still exit 0', async () => {
    const server = await startServer(db.url, { SHUTDOWN_TIMEOUT_MS: '1000' })
    children.push(server.child)
    const slow = await openSlowRequest(server.port)

    server.child.kill('SIGTERM')
    // The body never completes: the bound, not the request, ends the wait.
    await expect(slow.body).rejects.toThrow(/cut|aborted|socket hang up|ECONNRESET/)
    slow.req.destroy()
    expect(await server.exit).toBe(0)
    expect(server.output()).toMatch(/were cut/)
    expect(server.output()).toMatch(/Shutdown complete/)
  }, 60_000)
})

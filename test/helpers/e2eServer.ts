import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

/** The browser the e2e tests drive (Debian's chromium unless CHROMIUM_PATH says otherwise). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** A TCP port free on loopback right now, for a server the test starts. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })

/** Polls `<url>/api/health` until it answers 200 (its body), the server process exits, or time runs out. */
export const waitForHealth = async (url: string, child: ChildProcess, timeoutMs: number): Promise<{ db: string; ok: boolean }> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server (npm start) exited early with ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.status === 200) return (await res.json()) as { db: string; ok: boolean }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error('server did not become healthy in time')
}

/** Where the repository is (the server is started from it). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type CrmServer = {
  child: ChildProcess
  dataDir: string
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string
  /** Kills the server's process group and removes its data directory. */
  stop: () => void
  url: string
}

/**
 * `npm start` for real (`tsx scripts/start.ts`) on a fresh SQLite data directory and a free port, waited on
 * until `/api/health` answers. PUBLIC_URL is `http://localhost:<port>` (the browser must use that origin:
 * Payload accepts its cookie only from there). The test's own DATABASE_URL, PAYLOAD_SECRET and
 * NODE_OPTIONS (jest's flags) are not passed on; an `env` key set to `undefined` removes that variable too.
 */
export const startCrmServer = async ({
  env = {},
  port: chosenPort,
  prefix,
  timeoutMs = 15 * 60_000,
}: {
  env?: Record<string, string | undefined>
  /** A port chosen beforehand (when something else must know the URL first); default: a free one. */
  port?: number
  prefix: string
  timeoutMs?: number
}): Promise<CrmServer> => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix))
  const port = chosenPort ?? (await freePort())
  const url = `http://localhost:${port}`
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CRM_DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: url }
  for (const key of ['DATABASE_URL', 'PAYLOAD_SECRET', 'NODE_OPTIONS']) delete childEnv[key]
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key]
    else childEnv[key] = value
  }
  let output = ''
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/start.ts'], { cwd: ROOT, detached: true, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const stop = () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { force: true, recursive: true })
  }
  try {
    await waitForHealth(url, child, timeoutMs)
  } catch (err) {
    stop()
    throw new Error(`${(err as Error).message}\n${output}`)
  }
  return { child, dataDir, output: () => output, stop, url }
}

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox, no GPU, no background traffic). */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    executablePath: CHROMIUM,
    headless: true,
  })

/** Signs in through the admin's login form and waits for `ready` (by default the dashboard's customer count). */
export const signInThroughForm = async (page: Page, url: string, user: { email: string; password: string }, ready = '[data-testid="crm-count-customers"]') => {
  await page.goto(`${url}/admin/login`, { waitUntil: 'networkidle' })
  await page.fill('input[name="email"]', user.email)
  await page.fill('input[name="password"]', user.password)
  await page.click('button[type="submit"]')
  await page.waitForSelector(ready, { timeout: 60_000 })
}

/** A JSON call to the server (`token`: sent as `Authorization: JWT …`); a non-2xx answer throws with its body. */
export const apiJson = async <T>(url: string, route: string, init: RequestInit & { token?: string } = {}): Promise<T> => {
  const { token, ...rest } = init
  const res = await fetch(`${url}${route}`, {
    ...rest,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}), ...(rest.headers as Record<string, string>) },
  })
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import type { Role } from './access/roles.js'
import type { GoogleSignInOptions } from './auth/google/options.js'

import { parseList } from './domain/auth/googleAdmission.js'
import { deriveWebhookSecret } from './domain/campaigns/receiptSignature.js'

/** The only module that reads `process.env` (STYLE.md §5). */

export type DatabaseKind = 'mongodb' | 'postgres' | 'sqlite'

export type DatabaseSettings =
  | { kind: 'sqlite'; filePath: string; url: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'mongodb'; url: string }

/** GEMINI_* variables (all optional; no key → the offline AI fallback). */
export type GeminiEnv = {
  /** GEMINI_API_KEY */
  apiKey?: string
  /** GEMINI_BASE_URL: another Gemini API endpoint (tests: a local fake). */
  baseUrl?: string
  /** GEMINI_MODEL, default `gemini-2.5-flash`. */
  model?: string
  /** GEMINI_TIMEOUT_MS: one model call's time limit, default 20000. */
  timeoutMs?: number
}

export type CrmEnv = {
  gemini: GeminiEnv
  dataDir: string
  database: DatabaseSettings
  /** GOOGLE_*: Google sign-in, unset when neither GOOGLE_CLIENT_ID nor GOOGLE_CLIENT_SECRET is set. */
  google?: GoogleSignInOptions
  nodeEnv: string
  port: number
  publicUrl: string
  secret: string
  /** JOBS_RETENTION_DAYS: finished jobs older than this are purged (hourly). @default 7 */
  jobsRetentionDays: number
  /** STORE_CURRENCY: ISO 4217 code of every amount; unset = the plugin's default (INR). */
  storeCurrency?: string
  /** STORE_TIMEZONE: IANA zone in which dates without an offset are read; unset = the plugin's default (UTC). */
  storeTimezone?: string
  /** WORKER_NAME: this process's job-worker name (distinct per process); unset = `<host>-<pid>`. */
  workerName?: string
}

export const DEFAULT_DATA_DIR = './data'
export const DEFAULT_SQLITE_FILE = 'crm.db'
export const DEFAULT_JOBS_RETENTION_DAYS = 7

/** JOBS_RETENTION_DAYS: a positive number of days (fractions allowed); unset → the default. */
export const parseRetentionDays = (value?: string): number => {
  if (!value?.trim()) return DEFAULT_JOBS_RETENTION_DAYS
  const days = Number(value)
  if (!Number.isFinite(days) || days <= 0) throw new Error(`JOBS_RETENTION_DAYS must be a positive number of days (got "${value}")`)
  return days
}

/**
 * Picks the database from a URL: unset or `file:` → SQLite, `postgres://`/`postgresql://` → PostgreSQL,
 * `mongodb://`/`mongodb+srv://` → MongoDB. Anything else is a configuration error named clearly.
 */
export const parseDatabaseUrl = ({ dataDir, url }: { dataDir: string; url?: string }): DatabaseSettings => {
  const trimmed = url?.trim()
  if (!trimmed) {
    const filePath = path.resolve(dataDir, DEFAULT_SQLITE_FILE)
    return { filePath, kind: 'sqlite', url: `file:${filePath}` }
  }
  if (trimmed.startsWith('file:')) {
    const raw = trimmed.slice('file:'.length).replace(/^\/\/(?=\/)/, '')
    const filePath = path.resolve(raw)
    return { filePath, kind: 'sqlite', url: `file:${filePath}` }
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { kind: 'postgres', url: trimmed }
  if (/^mongodb(\+srv)?:\/\//i.test(trimmed)) return { kind: 'mongodb', url: trimmed }
  throw new Error(
    `DATABASE_URL must start with file:, postgres://, postgresql:// or mongodb:// (got "${trimmed.split(':')[0]}:…")`,
  )
}

const SECRET_HOWTO = 'export PAYLOAD_SECRET="$(openssl rand -hex 32)"'

/** The stored secret, or a start-up error that names the file and what to do about it. */
const readSecretFile = (file: string): string => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new Error(`Cannot read the stored secret ${file} (${reason}): make it a file this user can read, or set PAYLOAD_SECRET.`)
  }
  const stored = text.trim()
  if (!stored) {
    throw new Error(
      `The stored secret ${file} is empty. Delete it to have a new one generated (existing sessions and API tokens signed with the old one stop working), or set PAYLOAD_SECRET.`,
    )
  }
  return stored
}

/**
 * Returns PAYLOAD_SECRET, or a random secret generated once into `<dataDir>/.payload-secret` (mode 0600)
 * and reused on every later start. Never a constant in the code. An empty or unreadable stored secret
 * is a start-up error: silently replacing it would sign everyone out.
 */
export const resolveSecret = ({ dataDir, secret }: { dataDir: string; secret?: string }): string => {
  if (secret && secret.trim()) return secret.trim()
  const file = path.resolve(dataDir, '.payload-secret')
  if (existsSync(file)) return readSecretFile(file)
  mkdirSync(path.dirname(file), { recursive: true })
  const generated = randomBytes(32).toString('hex')
  try {
    writeFileSync(file, generated + '\n', { flag: 'wx', mode: 0o600 })
  } catch (err) {
    // Another process created it first: use theirs so every process signs with the same secret.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readSecretFile(file)
    throw err
  }
  chmodSync(file, 0o600)
  return generated
}

/**
 * With a shared database (PostgreSQL, MongoDB) in production (`npm start` sets NODE_ENV=production),
 * every server must sign with the same secret, so a secret generated per machine would be wrong.
 */
const requireSharedSecret = ({ database, nodeEnv, secret }: { database: DatabaseSettings; nodeEnv: string; secret?: string }): void => {
  if (database.kind === 'sqlite' || nodeEnv !== 'production' || secret?.trim()) return
  const name = database.kind === 'postgres' ? 'PostgreSQL' : 'MongoDB'
  throw new Error(
    `PAYLOAD_SECRET is required with ${name} under npm start (NODE_ENV=production): every server sharing the database must sign sessions with the same secret. Set one, the same on every server, e.g.: ${SECRET_HOWTO}`,
  )
}

/**
 * GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_ALLOWED_DOMAINS, GOOGLE_ALLOWED_EMAILS (comma lists),
 * GOOGLE_ROLE, GOOGLE_ISSUER. Returns undefined when Google sign-in is not configured; the plugin
 * checks the values (a client id without a secret, an unknown role, an http issuer off loopback).
 */
export const readGoogleEnv = (env: Record<string, string | undefined>): GoogleSignInOptions | undefined => {
  const clientId = env.GOOGLE_CLIENT_ID?.trim()
  const clientSecret = env.GOOGLE_CLIENT_SECRET?.trim()
  if (!clientId && !clientSecret) return undefined
  if (!clientId) throw new Error('GOOGLE_CLIENT_SECRET is set but GOOGLE_CLIENT_ID is not: set both for Google sign-in, or neither.')
  if (!clientSecret) throw new Error('GOOGLE_CLIENT_ID is set but GOOGLE_CLIENT_SECRET is not: set both for Google sign-in, or neither.')
  return {
    allowedDomains: parseList(env.GOOGLE_ALLOWED_DOMAINS),
    allowedEmails: parseList(env.GOOGLE_ALLOWED_EMAILS),
    clientId,
    clientSecret,
    issuer: env.GOOGLE_ISSUER?.trim() || undefined,
    role: (env.GOOGLE_ROLE?.trim().toLowerCase() || undefined) as Role | undefined,
  }
}

/** GEMINI_API_KEY, GEMINI_BASE_URL, GEMINI_MODEL, GEMINI_TIMEOUT_MS; a bad timeout is a configuration error. */
export const readGeminiEnv = (env: Record<string, string | undefined>): GeminiEnv => {
  const timeout = env.GEMINI_TIMEOUT_MS?.trim()
  const timeoutMs = timeout ? Number(timeout) : undefined
  if (timeoutMs !== undefined && (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)) throw new Error(`GEMINI_TIMEOUT_MS must be a positive whole number of milliseconds (got "${timeout}")`)
  return {
    apiKey: env.GEMINI_API_KEY?.trim() || undefined,
    baseUrl: env.GEMINI_BASE_URL?.trim() || undefined,
    model: env.GEMINI_MODEL?.trim() || undefined,
    timeoutMs,
  }
}

export const readEnv = (env: Record<string, string | undefined> = process.env): CrmEnv => {
  const dataDir = path.resolve(env.CRM_DATA_DIR || DEFAULT_DATA_DIR)
  const port = Number(env.PORT || 3000)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a TCP port number (got "${env.PORT}")`)
  const database = parseDatabaseUrl({ dataDir, url: env.DATABASE_URL })
  const nodeEnv = env.NODE_ENV || 'development'
  requireSharedSecret({ database, nodeEnv, secret: env.PAYLOAD_SECRET })
  return {
    dataDir,
    database,
    gemini: readGeminiEnv(env),
    google: readGoogleEnv(env),
    jobsRetentionDays: parseRetentionDays(env.JOBS_RETENTION_DAYS),
    nodeEnv,
    port,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    secret: resolveSecret({ dataDir, secret: env.PAYLOAD_SECRET }),
    storeCurrency: env.STORE_CURRENCY?.trim() || undefined,
    storeTimezone: env.STORE_TIMEZONE?.trim() || undefined,
    workerName: env.WORKER_NAME?.trim() || undefined,
  }
}

/** The raw variables, for modules that parse their own group (the CRM_SEND_* send settings). */
export const environment = (): Record<string, string | undefined> => process.env

/** Async import tuning: CRM_IMPORT_BATCH_ROWS (rows per bulk write, default 10,000) and CRM_IMPORT_LOCK_MS (a silent run's lock, default 60 s, at least 2 s). */
export const readImportTuning = (env: Record<string, string | undefined> = process.env): { batchRows?: number; lockMs: number } => ({
  batchRows: Number(env.CRM_IMPORT_BATCH_ROWS) || undefined,
  lockMs: Math.max(2000, Number(env.CRM_IMPORT_LOCK_MS) || 60_000),
})

/**
 * CRM_SQLITE_BULK_DRIVER: the SQLite connection of the bulk data plane. `better-sqlite3` (default) opens
 * the adapter's database file a second time with better-sqlite3 (measured faster, docs/bulk.md);
 * `libsql` keeps every bulk statement on the adapter's own @libsql/client (the benchmarks compare both).
 */
export const readSqliteBulkDriver = (env: Record<string, string | undefined> = process.env): 'better-sqlite3' | 'libsql' => {
  const value = env.CRM_SQLITE_BULK_DRIVER?.trim().toLowerCase()
  if (!value || value === 'better-sqlite3') return 'better-sqlite3'
  if (value === 'libsql') return 'libsql'
  throw new Error(`CRM_SQLITE_BULK_DRIVER must be better-sqlite3 or libsql (got "${env.CRM_SQLITE_BULK_DRIVER}")`)
}

/**
 * CRM_SQLITE_BULK_THREAD: whether the bulk layer's better-sqlite3 connection runs its statements in
 * a worker thread (the default; `0`/`false`/`off`/`no` → in the server's own thread). See
 * docs/bulk.md, "The bulk thread".
 */
export const readSqliteBulkThread = (env: Record<string, string | undefined> = process.env): boolean =>
  !['0', 'false', 'off', 'no'].includes((env.CRM_SQLITE_BULK_THREAD ?? '').trim().toLowerCase())

/**
 * CRM_IMPORT_PARSE_WORKER: whether CSV imports parse in a worker thread (`1`/`true`/`on`/`yes`);
 * unset or anything else → in the import's own thread (the default, chosen by measurement:
 * docs/ingest.md#parsing-thread).
 */
export const readImportParseWorker = (env: Record<string, string | undefined> = process.env): boolean =>
  ['1', 'true', 'on', 'yes'].includes((env.CRM_IMPORT_PARSE_WORKER ?? '').trim().toLowerCase())

/** CRM_SEND_JOBS_PER_WORKER: campaign dispatch jobs one worker runs at once (default 4). */
export const readSendJobsPerWorker = (env: Record<string, string | undefined> = process.env): number => Number(env.CRM_SEND_JOBS_PER_WORKER) || 4

/** The message vendor link (read by `npm start` and `npm run vendor`). */
export type VendorEnv = {
  /** Where the CRM is reached by the vendor's receipt callbacks: PUBLIC_URL, else `http://localhost:<PORT>`. */
  crmUrl: string
  /** VENDOR_URL without a trailing slash (messages go to `<url>/messages`); unset = start the bundled simulator. */
  vendorUrl?: string
  /**
   * VENDOR_WEBHOOK_SECRET, the secret receipts are signed with. Unset: derived from PAYLOAD_SECRET, or
   * from the stored `<dataDir>/.payload-secret` when there is one; else `undefined`.
   */
  webhookSecret?: string
  /** VENDOR_WEBHOOK_SECRET as set (no derivation). */
  webhookSecretSet?: string
}

/** Reads VENDOR_URL and VENDOR_WEBHOOK_SECRET; a VENDOR_URL that is not http(s) is a configuration error. */
export const readVendorEnv = (env: Record<string, string | undefined> = process.env): VendorEnv => {
  const vendorUrl = env.VENDOR_URL?.trim().replace(/\/+$/, '') || undefined
  if (vendorUrl && !/^https?:\/\/[^/]/i.test(vendorUrl)) throw new Error(`VENDOR_URL must be an http:// or https:// URL (got "${vendorUrl}")`)
  const storedSecretFile = path.resolve(env.CRM_DATA_DIR || DEFAULT_DATA_DIR, '.payload-secret')
  const payloadSecret = env.PAYLOAD_SECRET?.trim() || (existsSync(storedSecretFile) ? readFileSync(storedSecretFile, 'utf8').trim() : '')
  return {
    crmUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, ''),
    vendorUrl,
    webhookSecret: env.VENDOR_WEBHOOK_SECRET?.trim() || (payloadSecret ? deriveWebhookSecret({ secret: payloadSecret }) : undefined),
    webhookSecretSet: env.VENDOR_WEBHOOK_SECRET?.trim() || undefined,
  }
}

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { parseDatabaseUrl, readEnv, readImportParseWorker, readSqliteBulkThread, resolveSecret } from './env.js'

describe('env', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crm-env-'))
  })

  afterEach(() => {
    rmSync(dir, { force: true, recursive: true })
  })

  it('should default to SQLite at <dataDir>/crm.db', () => {
    expect(parseDatabaseUrl({ dataDir: dir })).toEqual({
      filePath: path.join(dir, 'crm.db'),
      kind: 'sqlite',
      url: `file:${path.join(dir, 'crm.db')}`,
    })
  })

  it.each([
    ['file:./x/crm.db', 'sqlite'],
    ['file:///tmp/a.db', 'sqlite'],
    ['postgres://u@h:5432/db', 'postgres'],
    ['postgresql://u@h/db', 'postgres'],
    ['mongodb://h:27017/crm', 'mongodb'],
    ['mongodb+srv://cluster/crm', 'mongodb'],
  ])('should read %s as %s', (url, kind) => {
    expect(parseDatabaseUrl({ dataDir: dir, url }).kind).toBe(kind)
  })

  it('should resolve file: paths to absolute paths', () => {
    const parsed = parseDatabaseUrl({ dataDir: dir, url: 'file:///tmp/a.db' })
    expect(parsed).toMatchObject({ filePath: '/tmp/a.db', url: 'file:/tmp/a.db' })
  })

  it('should name the problem for an unsupported DATABASE_URL', () => {
    expect(() => parseDatabaseUrl({ dataDir: dir, url: 'mysql://h/db' })).toThrow(/DATABASE_URL must start with/)
  })

  it('should generate a secret once, store it 0600 and reuse it', () => {
    const first = resolveSecret({ dataDir: dir })
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    const file = path.join(dir, '.payload-secret')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    expect(resolveSecret({ dataDir: dir })).toBe(first)
  })

  it('should prefer PAYLOAD_SECRET and then write nothing', () => {
    expect(resolveSecret({ dataDir: dir, secret: ' given ' })).toBe('given')
    expect(() => statSync(path.join(dir, '.payload-secret'))).toThrow()
  })

  it('should refuse an empty stored secret, saying how to recover', () => {
    writeFileSync(path.join(dir, '.payload-secret'), '  \n')
    expect(() => resolveSecret({ dataDir: dir })).toThrow(/\.payload-secret is empty\. Delete it .* or set PAYLOAD_SECRET/)
  })

  it('should refuse an unreadable stored secret, naming the file and the reason', () => {
    mkdirSync(path.join(dir, '.payload-secret'))
    expect(() => resolveSecret({ dataDir: dir })).toThrow(/Cannot read the stored secret .*\.payload-secret \(EISDIR\)/)
  })

  it.each(['postgres://u@h/db', 'mongodb://h/crm'])('should require PAYLOAD_SECRET with %s in production, saying how to set one', (url) => {
    expect(() => readEnv({ CRM_DATA_DIR: dir, DATABASE_URL: url, NODE_ENV: 'production' })).toThrow(
      /PAYLOAD_SECRET is required with (PostgreSQL|MongoDB) under npm start.*export PAYLOAD_SECRET="\$\(openssl rand -hex 32\)"/,
    )
    expect(() => statSync(path.join(dir, '.payload-secret'))).toThrow()
    expect(readEnv({ CRM_DATA_DIR: dir, DATABASE_URL: url, NODE_ENV: 'production', PAYLOAD_SECRET: 'shared' }).secret).toBe('shared')
  })

  it('should still generate a secret for SQLite in production and for any database in development', () => {
    expect(readEnv({ CRM_DATA_DIR: dir, NODE_ENV: 'production' }).secret).toMatch(/^[0-9a-f]{64}$/)
    expect(readEnv({ CRM_DATA_DIR: dir, DATABASE_URL: 'postgres://u@h/db' }).secret).toMatch(/^[0-9a-f]{64}$/)
  })

  it('should read PORT, PUBLIC_URL and WORKER_NAME with defaults', () => {
    const env = readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's' })
    expect(env).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', workerName: undefined })
    expect(readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's', PORT: '8080', PUBLIC_URL: 'https://crm.example.com/', WORKER_NAME: 'w1' })).toMatchObject({
      port: 8080,
      publicUrl: 'https://crm.example.com',
      workerName: 'w1',
    })
    expect(() => readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's', PORT: 'eighty' })).toThrow(/PORT must be/)
  })

  it('should read JOBS_RETENTION_DAYS as a positive number of days, 7 by default', () => {
    expect(readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's' }).jobsRetentionDays).toBe(7)
    expect(readEnv({ CRM_DATA_DIR: dir, JOBS_RETENTION_DAYS: '0.5', PAYLOAD_SECRET: 's' }).jobsRetentionDays).toBe(0.5)
    for (const bad of ['0', '-1', 'week']) {
      expect(() => readEnv({ CRM_DATA_DIR: dir, JOBS_RETENTION_DAYS: bad, PAYLOAD_SECRET: 's' })).toThrow(/JOBS_RETENTION_DAYS must be/)
    }
  })

  it('should read STORE_TIMEZONE and STORE_CURRENCY, leaving the defaults to the plugin when unset', () => {
    expect(readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's' })).toMatchObject({ storeCurrency: undefined, storeTimezone: undefined })
    expect(readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's', STORE_CURRENCY: 'USD', STORE_TIMEZONE: ' Asia/Kolkata ' })).toMatchObject({
      storeCurrency: 'USD',
      storeTimezone: 'Asia/Kolkata',
    })
  })

  it('should read the GEMINI_* settings, all optional', () => {
    expect(readEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 's' }).gemini).toEqual({ apiKey: undefined, baseUrl: undefined, model: undefined, timeoutMs: undefined })
    expect(readEnv({ CRM_DATA_DIR: dir, GEMINI_API_KEY: ' key ', GEMINI_BASE_URL: 'http://127.0.0.1:9', GEMINI_MODEL: 'gemini-x', GEMINI_TIMEOUT_MS: '5000', PAYLOAD_SECRET: 's' }).gemini).toEqual({
      apiKey: 'key',
      baseUrl: 'http://127.0.0.1:9',
      model: 'gemini-x',
      timeoutMs: 5000,
    })
    expect(() => readEnv({ CRM_DATA_DIR: dir, GEMINI_TIMEOUT_MS: 'soon', PAYLOAD_SECRET: 's' })).toThrow(/GEMINI_TIMEOUT_MS/)
  })

  it('should parse CSV imports in a worker thread only when CRM_IMPORT_PARSE_WORKER turns it on', () => {
    expect(readImportParseWorker({})).toBe(false)
    for (const value of ['1', 'true', ' ON ', 'yes']) expect(readImportParseWorker({ CRM_IMPORT_PARSE_WORKER: value })).toBe(true)
    for (const value of ['0', 'false', 'off', '', 'maybe']) expect(readImportParseWorker({ CRM_IMPORT_PARSE_WORKER: value })).toBe(false)
  })

  it('should run bulk SQLite statements in a thread unless CRM_SQLITE_BULK_THREAD turns it off', () => {
    expect(readSqliteBulkThread({})).toBe(true)
    for (const value of ['1', 'true', 'on', '']) expect(readSqliteBulkThread({ CRM_SQLITE_BULK_THREAD: value })).toBe(true)
    for (const value of ['0', 'false', ' OFF ', 'no']) expect(readSqliteBulkThread({ CRM_SQLITE_BULK_THREAD: value })).toBe(false)
  })
})

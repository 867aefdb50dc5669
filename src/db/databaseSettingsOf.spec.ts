import type { Payload } from 'payload'

import { databaseSettingsOf } from './databaseSettingsOf.js'

const payloadWith = (db: object) => ({ db }) as unknown as Payload

describe('databaseSettingsOf', () => {
  it("should read SQLite's file URL from the adapter", () => {
    expect(databaseSettingsOf(payloadWith({ clientConfig: { url: 'file:/tmp/host/app.db' }, name: 'sqlite' }))).toEqual({
      filePath: '/tmp/host/app.db',
      kind: 'sqlite',
      url: 'file:/tmp/host/app.db',
    })
  })

  it("should read PostgreSQL's connection string from the pool options", () => {
    const url = 'postgres://crm@db.internal:5432/host'
    expect(databaseSettingsOf(payloadWith({ name: 'postgres', poolOptions: { connectionString: url } }))).toEqual({ kind: 'postgres', url })
  })

  it('should say what to configure when the adapter has no URL', () => {
    expect(() => databaseSettingsOf(payloadWith({ name: 'postgres', poolOptions: { host: 'db' } }))).toThrow(/pool: \{ connectionString \}/)
    expect(() => databaseSettingsOf(payloadWith({ clientConfig: { url: 'libsql://remote' }, name: 'sqlite' }))).toThrow(/file:/)
  })
})

import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import { pgSchemaPrefix, runSql, sqlDialectOf } from '../../bulk/index.js'
import { SLUGS, STAGING_CHUNK_BYTES } from '../../constants.js'

type ChunkDoc = { data: string; id: number | string; records?: null | number; seq: number }

const NEWLINE = 0x0a

/**
 * Stores an upload in the staging table in chunks of about `STAGING_CHUNK_BYTES`, each cut after
 * its last line break when it has one (a cut never splits a UTF-8 character: 0x0A is never part of
 * one), as base64 (the bytes exactly as sent: NUL bytes and invalid UTF-8 are the importer's to
 * report, and PostgreSQL text cannot hold NUL). Memory: one chunk.
 */
export const stageUpload = async ({
  owner,
  payload,
  source,
}: {
  owner: string
  payload: Payload
  source: AsyncIterable<Uint8Array>
}): Promise<{ bytes: number; chunks: number }> => {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let seq = 0
  let bytes = 0
  const write = async (data: Buffer) => {
    if (data.length === 0) return
    await payload.create({ collection: SLUGS.stagingChunks as 'crm-staging-chunks', data: { data: data.toString('base64'), owner, records: 0, seq }, overrideAccess: true })
    seq += 1
  }
  for await (const piece of source) {
    const buffer = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    bytes += buffer.length
    pending.push(buffer)
    pendingBytes += buffer.length
    if (pendingBytes < STAGING_CHUNK_BYTES) continue
    const joined = Buffer.concat(pending)
    const cut = joined.lastIndexOf(NEWLINE)
    const at = cut >= 0 ? cut + 1 : joined.length
    await write(joined.subarray(0, at))
    pending = [joined.subarray(at)]
    pendingBytes = joined.length - at
  }
  await write(Buffer.concat(pending))
  return { bytes, chunks: seq }
}

/** Stores records (JSON) under `owner`, `perChunk` records a chunk. */
export const stageRecords = async <T>({ owner, payload, perChunk, records }: { owner: string; payload: Payload; perChunk: number; records: readonly T[] }): Promise<number> => {
  let seq = 0
  for (let start = 0; start < records.length; start += perChunk) {
    const slice = records.slice(start, start + perChunk)
    await payload.create({ collection: SLUGS.stagingChunks as 'crm-staging-chunks', data: { data: JSON.stringify(slice), owner, records: slice.length, seq }, overrideAccess: true })
    seq += 1
  }
  return seq
}

/** The staged chunks of `owner` in order, from `fromSeq`, read a few at a time. */
export async function* readStagedChunks({ fromSeq = 0, owner, payload }: { fromSeq?: number; owner: string; payload: Payload }): AsyncGenerator<ChunkDoc> {
  let next = fromSeq
  for (;;) {
    const page = await payload.find({
      collection: SLUGS.stagingChunks as 'crm-staging-chunks',
      depth: 0,
      limit: 2,
      overrideAccess: true,
      pagination: false,
      sort: 'seq',
      where: { and: [{ owner: { equals: owner } }, { seq: { greater_than_equal: next } }] },
    })
    const docs = page.docs as unknown as ChunkDoc[]
    if (docs.length === 0) return
    for (const doc of docs) {
      yield doc
      next = doc.seq + 1
    }
  }
}

/** The staged upload of `owner` as the bytes that were sent. */
export async function* readStagedUpload({ owner, payload }: { owner: string; payload: Payload }): AsyncGenerator<Uint8Array> {
  for await (const chunk of readStagedChunks({ owner, payload })) yield Buffer.from(chunk.data, 'base64')
}

/** Deletes `owner`'s staged chunks in one statement (never loads them). */
export const dropStagedChunks = async ({ owner, payload, req }: { owner: string; payload: Payload; req?: Partial<PayloadRequest> }): Promise<void> => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) {
    await payload.delete({ collection: SLUGS.stagingChunks as 'crm-staging-chunks', overrideAccess: true, req, where: { owner: { equals: owner } } })
    return
  }
  const table = sql.raw(`${dialect === 'postgres' ? pgSchemaPrefix(payload) : ''}"crm_staging_chunks"`)
  await runSql({ payload, query: sql`DELETE FROM ${table} WHERE "owner" = ${owner}`, req })
}

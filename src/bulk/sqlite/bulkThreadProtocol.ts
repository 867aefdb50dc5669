import type { LibsqlResult, LibsqlStatement } from '../connection.js'

/** What the bulk layer's SQLite thread is asked: one statement, one transaction of several, or to close. */
export type ToBulkThread =
  | { id: number; mode: 'deferred' | 'read' | 'write'; op: 'batch'; statements: LibsqlStatement[] }
  | { id: number; op: 'execute'; statement: LibsqlStatement }
  | { op: 'close' }

/** What it answers: `ready` once the database is open (or `failed` to open), then one reply per call, in order. */
export type FromBulkThread =
  | { error: { code: string; message: string }; id: number; type: 'error' }
  | { id: number; result: LibsqlResult; type: 'result' }
  | { id: number; results: LibsqlResult[]; type: 'results' }
  | { message: string; type: 'failed' }
  | { type: 'ready' }

/** What the thread is started with: the database file and the process's lock on it (`fileLock.ts`). */
export type BulkThreadData = { filePath: string; lock: SharedArrayBuffer }

/** A string argument sent once per call, however many statements of it pass it (see `shareLongStrings`). */
type Shared = { crmShared: string }

/** Strings at least this long are shared. */
const SHARE_FROM = 4096

/**
 * Statements as they are posted to the thread: a long string argument (a batch's JSON, passed to
 * each of the batch's statements) is wrapped in one object per distinct string, which the structured
 * clone writes once and refers back to (it copies every occurrence of a string, but an object only
 * once). An import's write of 10,000 customers passes the same two JSON texts to a dozen statements.
 */
export const shareLongStrings = (statements: LibsqlStatement[]): LibsqlStatement[] => {
  const shared = new Map<string, Shared>()
  const share = (value: unknown) => {
    if (typeof value !== 'string' || value.length < SHARE_FROM) return value
    let box = shared.get(value)
    if (!box) shared.set(value, (box = { crmShared: value }))
    return box
  }
  return statements.map((statement) => ({ ...statement, args: statement.args.map(share) }))
}

/** The statements as they were before `shareLongStrings` (in the thread). */
export const unshareLongStrings = (statements: LibsqlStatement[]): LibsqlStatement[] =>
  statements.map((statement) => ({
    ...statement,
    args: statement.args.map((value) =>
      // (Only such a wrapper has this key: the other arguments are primitives, buffers and dates.)
      value !== null && typeof value === 'object' && typeof (value as Shared).crmShared === 'string'
        ? (value as Shared).crmShared
        : value,
    ),
  }))

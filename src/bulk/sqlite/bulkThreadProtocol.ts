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

/** What the thread is started with. */
export type BulkThreadData = { filePath: string }

import type { Payload } from 'payload'

/** The contract's database names: `sqlite`, `postgres` or `mongodb` (Payload calls the latter `mongoose`). */
export const databaseKind = (payload: Payload): 'mongodb' | 'postgres' | 'sqlite' => {
  const name = payload.db.name
  if (name === 'sqlite') return 'sqlite'
  if (name === 'postgres') return 'postgres'
  return 'mongodb'
}

/**
 * Lets pending I/O (new connections, other requests' database answers) run before the caller goes on.
 *
 * Callers are served one per event-loop turn, in arrival order: each waits for the previous caller's
 * turn, then for its own `setImmediate`. The SQLite driver answers synchronously, so without this the
 * 200 list reads of one GraphQL query (all started in the same tick) ran back to back and a health
 * probe waited behind all of them; with it, the poll phase (where the probe is accepted and answered)
 * runs between any two of them. Nothing is held, so nothing can leak when a read fails.
 */
let turn: Promise<void> = Promise.resolve()

export const yieldToEventLoop = (): Promise<void> => {
  const mine = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
  turn = mine
  return mine
}

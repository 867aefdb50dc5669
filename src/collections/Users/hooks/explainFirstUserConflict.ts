import type { CollectionAfterErrorHook } from 'payload'

import { ValidationError } from 'payload'

const isFirstUserConflict = (error: unknown): boolean =>
  error instanceof ValidationError &&
  error.data.errors.some((item) => item.path === 'firstUser' || item.path === 'first_user')

/**
 * A registration that lost the race for the first user hits the unique index on `firstUser`;
 * answer it as Payload answers a late first-register (403), with a message that says why, instead
 * of a validation error about a hidden field.
 */
export const explainFirstUserConflict: CollectionAfterErrorHook = ({ error }) => {
  if (!isFirstUserConflict(error)) return
  return {
    response: { errors: [{ message: 'The first user has already been registered: sign in instead.' }] },
    status: 403,
  }
}

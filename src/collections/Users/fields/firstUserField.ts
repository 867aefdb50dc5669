import type { Field } from 'payload'

/**
 * `true` on the first user only, null on everyone else: its unique index lets exactly one of two
 * concurrent first registrations succeed (see `assignFirstUserAdmin`). Hidden and never client-written.
 */
export const createFirstUserField = (): Field => ({
  name: 'firstUser',
  type: 'checkbox',
  access: { create: () => false, update: () => false },
  hidden: true,
  unique: true,
})

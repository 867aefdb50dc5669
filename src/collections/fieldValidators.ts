import type { FieldHook, Validate } from 'payload'

import { checkEmail, checkIsoDate, checkNonNegativeInteger, checkNonNegativeNumber, toStoredTimestamp } from '../domain/validation/index.js'

/** Adapters from the pure checks in `src/domain/validation` to Payload's field `validate` signature. */
export const validateEmail: Validate = (value) => checkEmail(value)

export const validateNonNegative =
  (label: string): Validate =>
  (value) =>
    checkNonNegativeNumber(value, label)

export const validateNonNegativeInteger =
  (label: string): Validate =>
  (value) =>
    checkNonNegativeInteger(value, label)

export const validateIsoDate =
  (label: string): Validate =>
  (value) =>
    checkIsoDate(value, label)

/**
 * A date field's `beforeValidate` hook: an ISO string without an offset is read in the store's
 * time zone and stored as UTC (Payload itself would read it in the server's zone).
 */
export const readDateInStoreZone =
  (timeZone: string): FieldHook =>
  ({ value }) =>
    toStoredTimestamp(value, timeZone)

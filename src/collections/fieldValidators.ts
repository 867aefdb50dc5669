import type { Validate } from 'payload'

import { checkEmail, checkIsoDate, checkNonNegativeInteger, checkNonNegativeNumber } from '../domain/validation/index.js'

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

import type { z } from 'zod'

import type { ApiErrorItem } from './errorResponse.js'

type Location = NonNullable<ApiErrorItem['location']>

/** Turns zod issues into `{ message, path, location }` entries whose message names the field. */
export const zodIssuesToErrors = (issues: readonly z.core.$ZodIssue[], location: Location): ApiErrorItem[] =>
  issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return path
      ? { location, message: `Invalid ${location} field "${path}": ${issue.message}`, path }
      : { location, message: `Invalid ${location}: ${issue.message}` }
  })

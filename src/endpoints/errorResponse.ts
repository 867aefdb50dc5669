/** One entry of the shared error shape; `path` names the offending field when there is one. */
export type ApiErrorItem = {
  /** Where the field was: `body`, `query` or `params`. */
  location?: 'body' | 'params' | 'query'
  message: string
  path?: string
}

/** The error answer every CRM endpoint uses (the same envelope as Payload's own errors). */
export const errorResponse = (status: number, errors: ApiErrorItem[], headers?: HeadersInit): Response =>
  Response.json({ errors }, { headers, status })

/** Statuses Payload's router answers as `{ message }` (no route, endpoints disabled) instead of its `{ errors }` envelope. */
const BARE_MESSAGE_STATUSES = new Set([404, 501])

/**
 * Gives Payload's "route not found" answers the shared error shape `{"errors":[{"message"}]}`;
 * every other response passes through untouched (and unread).
 */
export const toErrorEnvelope = async (response: Response): Promise<Response> => {
  if (!BARE_MESSAGE_STATUSES.has(response.status) || !response.headers.get('content-type')?.includes('application/json')) return response
  const body: unknown = await response.clone().json().catch(() => null)
  if (typeof body !== 'object' || body === null || 'errors' in body || typeof (body as { message?: unknown }).message !== 'string') return response
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  return Response.json({ errors: [{ message: (body as { message: string }).message }] }, { headers, status: response.status })
}

import { formatAdminURL } from 'payload/shared'

/** The answer of a CRM endpoint: the JSON on success, else the first error message. */
export type CrmAnswer<T> = { data: T; ok: true } | { message: string; ok: false; status: number }

/** POSTs JSON to one of our endpoints with the admin's session cookie. */
export const postCrmJson = async <T,>({ apiRoute, body, path }: { apiRoute: string; body: unknown; path: `/${string}` }): Promise<CrmAnswer<T>> => {
  try {
    const res = await fetch(formatAdminURL({ apiRoute, path, relative: true }), {
      body: JSON.stringify(body),
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      method: 'POST',
    })
    const json = (await res.json().catch(() => null)) as unknown
    if (res.ok) return { data: json as T, ok: true }
    const errors = (json as { errors?: { message?: string }[] } | null)?.errors
    return { message: errors?.map((e) => e.message).filter(Boolean).join('; ') || `Request failed (${res.status})`, ok: false, status: res.status }
  } catch {
    return { message: 'Could not reach the server', ok: false, status: 0 }
  }
}

/** Secondary text in our fields: Payload's `.field-description` grey fails WCAG AA contrast (axe); elevation-700 passes. */
export const MUTED = { color: 'var(--theme-elevation-700)' } as const

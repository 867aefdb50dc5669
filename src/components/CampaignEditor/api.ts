import { formatAdminURL } from 'payload/shared'

import type { CrmAnswer } from '../Ai/postCrmJson.js'

/** Calls one of our endpoints with the admin's session cookie: the JSON, or the first error message. */
export const crmJson = async <T,>({ apiRoute, body, method = 'GET', path, signal }: { apiRoute: string; body?: unknown; method?: 'GET' | 'POST'; path: `/${string}`; signal?: AbortSignal }): Promise<CrmAnswer<T>> => {
  try {
    const res = await fetch(formatAdminURL({ apiRoute, path, relative: true }), {
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'include',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      method,
      signal,
    })
    const json = (await res.json().catch(() => null)) as unknown
    if (res.ok) return { data: json as T, ok: true }
    const errors = (json as { errors?: { message?: string }[] } | null)?.errors
    return { message: errors?.map((e) => e.message).filter(Boolean).join('; ') || `Request failed (${res.status})`, ok: false, status: res.status }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    return { message: 'Could not reach the server', ok: false, status: 0 }
  }
}

export type SampleCustomer = { email: null | string; id: number; name: null | string }
export type TemplateProblem = { column: number; line: number; message: string; offset: number }
export type PreviewAnswer = {
  audience: null | { size: number; skipped: number }
  audienceProblem: null | string
  customer: null | SampleCustomer
  errors: TemplateProblem[]
  samples: SampleCustomer[]
  text: null | string
}
export type Stats = { audience: number; delivered: number; failed: number; pending: number; sent: number; skipped: number }
export type ProgressAnswer = { id: number | string; percent: number; scheduledAt: null | string; stats: Stats; status: string; statusReason: null | string }
export type ReportAnswer = {
  delivery: { bucketMs: number; points: { at: string; delivered: number; failed: number; sent: number }[] }
  failureReasons: { count: number; reason: string }[]
  rates: { deliveryRate: null | number; failureRate: null | number }
  stats: Stats
  status: string
  statusReason: null | string
}

const idOf = (value: unknown): null | number => {
  if (value === null || value === undefined || value === '') return null
  const raw = typeof value === 'object' ? (value as { id?: unknown; value?: unknown }).id ?? (value as { value?: unknown }).value : value
  const n = Number(raw)
  return Number.isInteger(n) && n > 0 ? n : null
}

/** The form's audience as the preview endpoint takes it (relationship values may be ids or `{ id }`). */
export const audienceOf = (segment: unknown, customers: unknown): { customers?: number[]; segment?: number } => {
  const picked = Array.isArray(customers) ? customers.map(idOf).filter((id): id is number => id !== null) : []
  const seg = idOf(segment)
  return { ...(picked.length > 0 ? { customers: picked } : {}), ...(seg !== null ? { segment: seg } : {}) }
}

import type { TestPayload } from './bootPayload.js'

/** The answer of a CSV import. */
export type ImportAnswer = {
  created: number
  errors: { column?: string; message: string; row: number }[]
  failed: number
  rows: number
  unchanged: number
  updated: number
  warnings: { column?: string; message: string; row: number }[]
}

type PostCsvArgs = {
  body: BodyInit
  contentType?: string
  /** `customers` or `orders`. */
  slug: string
  t: TestPayload
  token?: string
}

/** POSTs a CSV body to `/api/<slug>/import` (raw `text/csv` unless told otherwise). */
export const postCsv = ({ body, contentType = 'text/csv', slug, t, token }: PostCsvArgs): Promise<Response> =>
  t.request(`/api/${slug}/import`, {
    body,
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(token ? { authorization: `JWT ${token}` } : {}) },
    method: 'POST',
  })

/** Imports and expects a 200; returns the answer. */
export const importCsv = async (args: PostCsvArgs): Promise<ImportAnswer> => {
  const res = await postCsv(args)
  const text = await res.text()
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${text}`)
  return JSON.parse(text) as ImportAnswer
}

/** A multipart/form-data body with the CSV in the field `file`. */
export const multipartCsv = (csv: string, filename = 'data.csv'): FormData => {
  const form = new FormData()
  form.append('note', 'ignored')
  form.append('file', new Blob([csv], { type: 'text/csv' }), filename)
  return form
}

/**
 * The `attributes` a new row is inserted with, read from the staging table as `s.attributes`: a
 * `null` key in a patch removes that key, and a new row has none to remove, so such keys are dropped.
 * The per-row `jsonb_each` that drops them is written only when some row of the batch has one.
 */
export const newAttributesSql = (rows: readonly { attributes?: null | Record<string, unknown> }[]): string =>
  rows.some((row) => row.attributes && Object.values(row.attributes).includes(null))
    ? `s.attributes - ARRAY(SELECT e.key FROM jsonb_each(s.attributes) AS e WHERE e.value = 'null'::jsonb)`
    : 's.attributes'

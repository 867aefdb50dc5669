import type { CollectionBeforeChangeHook } from 'payload'

import { ValidationError } from 'payload'

import { resolveSegmentInput } from '../../../domain/segments/resolveSegmentInput.js'
import { countAudience, segmentSqlTarget } from '../../../segments/audience.js'
import { audienceWhere } from '../../../segments/whereAudience.js'

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * Keeps `rules` and `dsl` consistent (either may be sent; the other is derived, both canonical) and
 * refreshes `audienceCount`/`countedAt` on every save. Runs after field access, so the system
 * fields it sets are kept.
 */
export const deriveSegmentFields =
  ({ timeZone }: { timeZone: string }): CollectionBeforeChangeHook =>
  async ({ collection, data, originalDoc, req }) => {
    const original = (originalDoc ?? {}) as { dsl?: null | string; rules?: unknown }
    const rulesChanged = data.rules !== undefined && !sameJson(data.rules, original.rules)
    const dslChanged = data.dsl !== undefined && data.dsl !== original.dsl
    const input = rulesChanged || dslChanged ? { dsl: dslChanged ? data.dsl : undefined, rules: rulesChanged ? data.rules : undefined } : { dsl: original.dsl, rules: original.rules }
    const resolved = resolveSegmentInput(input)
    if (!resolved.ok) {
      throw new ValidationError({
        collection: collection.slug,
        errors: resolved.issues.map((issue) => ({ message: issue.path === 'rules' || issue.path === 'dsl' ? issue.message : `${issue.path}: ${issue.message}`, path: issue.path === 'dsl' ? 'dsl' : 'rules' })),
        req,
      })
    }
    const next: Record<string, unknown> = { ...data, dsl: resolved.dsl, rules: resolved.rules }
    const now = new Date()
    const clock = { now, timeZone }
    if (segmentSqlTarget(req.payload)) {
      next.audienceCount = await countAudience({ clock, payload: req.payload, req, rules: resolved.rules })
      next.countedAt = now.toISOString()
    } else {
      // MongoDB: counted through the Payload `where` when the rules are in its subset; else left unset.
      const where = audienceWhere({ clock, rules: resolved.rules })
      next.audienceCount = where.ok ? (await req.payload.count({ collection: 'customers', overrideAccess: true, req, where: where.where })).totalDocs : null
      next.countedAt = where.ok ? now.toISOString() : null
    }
    return next
  }

import type { AiService } from '../../ai/types.js'
import type { RuleGroup } from '../../domain/segments/types.js'

import { AiError } from '../../ai/aiError.js'
import { formatDsl } from '../../domain/segments/dsl/format.js'
import { validateRules } from '../../domain/segments/ruleSchema.js'

/**
 * A rule tree for a plain-English description, checked by the segment engine's own validator. An
 * invalid tree is sent back once with the validator's complaints; still invalid → 502 naming them.
 * Nothing is saved.
 */
export const segmentRulesFromText = async ({ service, text }: { service: AiService; text: string }): Promise<{ dsl: string; rules: RuleGroup; source: string }> => {
  let feedback: string | undefined
  for (let round = 0; round < 2; round++) {
    const raw = await service.segmentRules({ feedback, text })
    const validation = validateRules(raw)
    if (validation.ok) return { dsl: formatDsl(validation.rules), rules: validation.rules, source: service.source }
    feedback = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
  }
  throw new AiError({ code: 'badOutput', message: `The model's rule tree was invalid twice (${feedback}); rephrase the description or write the rules yourself.` })
}

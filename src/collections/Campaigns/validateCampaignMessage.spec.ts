import type { TextareaFieldValidation } from 'payload'

import { validateCampaignMessage } from './validateCampaignMessage.js'

// Just what Payload's textarea check reads: the config's default length limit and the translator.
const options = (required: boolean) =>
  ({ req: { payload: { config: {} }, t: (key: string) => key }, required }) as unknown as Parameters<TextareaFieldValidation>[1]

describe('validateCampaignMessage', () => {
  it('should accept a good template', () => {
    expect(validateCampaignMessage('Hi {{firstName | "there"}} from {{attributes.store}}', options(true))).toBe(true)
  })

  it('should name template problems with their positions', () => {
    expect(validateCampaignMessage('Hi {{firstName', options(true))).toMatch(/^The message template has a problem: "\{\{" is not closed.*\(line 1, column 4\)$/)
  })

  it("should keep Payload's required check", () => {
    expect(validateCampaignMessage('', options(true))).toBe('validation:required')
    expect(validateCampaignMessage(undefined, options(false))).toBe(true)
  })
})

import { checkSuggestions, offlineSuggestions, suggestionProblem } from './messageSuggestions.js'
import { validateTemplate } from '../templates/validateTemplate.js'

describe('checkSuggestions', () => {
  it('should keep valid, distinct variants and say why the others were dropped', () => {
    const { accepted, rejected } = checkSuggestions(['Hi {{firstName}}!', 'hi   {{firstName}}!', 'Call {{phone}}', 'Oops {{firstName', { text: 'Hello {{city | "there"}}' }, 42], 100)
    expect(accepted).toEqual(['Hi {{firstName}}!', 'Hello {{city | "there"}}'])
    expect(rejected.map((r) => r.reason)).toEqual(['duplicate', expect.stringMatching(/only \{\{firstName\}\}/), expect.stringMatching(/\{\{/), 'empty'])
  })

  it('should keep at most three', () => {
    expect(checkSuggestions(['a', 'b', 'c', 'd'], 10).accepted).toEqual(['a', 'b', 'c'])
  })

  it('should refuse a variant longer than maxLength', () => {
    expect(suggestionProblem('x'.repeat(61), 60)).toMatch(/longer than 60/)
  })
})

describe('offlineSuggestions', () => {
  const intents = ['win back lapsed buyers', 'new arrivals with 20% off', 'thank our VIPs', 'Diwali sale', 'tell them about our store', 'x']
  const tones = [undefined, 'friendly', 'formal', 'playful', 'urgent', 'sarcastic']
  it.each(intents.flatMap((intent) => tones.flatMap((tone) => [60, 160, 320].map((maxLength) => [intent, tone, maxLength] as const))))(
    'should give 2–3 valid variants for %j (tone %s, at most %d characters)',
    (intent, tone, maxLength) => {
      const variants = offlineSuggestions({ intent, maxLength, tone })
      expect(variants.length).toBeGreaterThanOrEqual(2)
      expect(variants.length).toBeLessThanOrEqual(3)
      for (const text of variants) {
        expect(validateTemplate({ source: text })).toEqual([])
        expect(text.length).toBeLessThanOrEqual(maxLength)
      }
      expect(offlineSuggestions({ intent, maxLength, tone })).toEqual(variants)
    },
  )

  it("should not quote the marketer's note to customers when it recognises the theme", () => {
    for (const text of offlineSuggestions({ intent: 'win back lapsed buyers', maxLength: 320 })) expect(text).not.toMatch(/lapsed/i)
    expect(offlineSuggestions({ intent: 'our store opens on Sundays now', maxLength: 320 })[0]).toContain('Our store opens on Sundays now.')
  })

  it('should carry the offer and the audience value into the text', () => {
    const [first] = offlineSuggestions({ audience: { averageOrders: 3, averageSpend: 12000, averageVisits: 5, count: 10, currency: 'INR', dsl: 'spend > 10000' }, intent: 'win back with 10% off', maxLength: 320 })
    expect(first).toMatch(/we miss you as one of our valued customers/i)
    expect(first).toMatch(/10% off/)
  })
})

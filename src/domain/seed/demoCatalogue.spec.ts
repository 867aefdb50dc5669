import { parseDsl } from '../segments/dsl/parse.js'
import { validateTemplate } from '../templates/index.js'
import { DEMO_CAMPAIGN, DEMO_SEGMENTS, demoOutcomeOf, demoPercent, demoPhaseOf } from './demoCatalogue.js'

describe('demo catalogue', () => {
  it('should only hold segments whose DSL parses and a valid campaign message', () => {
    for (const segment of DEMO_SEGMENTS) expect([segment.name, parseDsl(segment.dsl).ok]).toEqual([segment.name, true])
    expect(DEMO_SEGMENTS.map((s) => s.name)).toContain(DEMO_CAMPAIGN.segment)
    expect(validateTemplate({ source: DEMO_CAMPAIGN.message })).toEqual([])
  })

  it('should give each outcome its share', () => {
    const outcomes = Array.from({ length: 1000 }, (_, n) => demoOutcomeOf(n))
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(30)
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(50)
    expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(920)
  })

  it('should map each phase onto one progress bar and back', () => {
    expect(demoPercent({ done: 0, phase: 'customers', total: 10 })).toBe(0)
    expect(demoPercent({ done: 5, phase: 'orders', total: 10 })).toBe(58)
    expect(demoPercent({ done: 1, phase: 'campaign', total: 1 })).toBe(100)
    expect(demoPercent({ done: 0, phase: 'orders', total: 0 })).toBe(85)
    expect([0, 29, 30, 84, 86, 92, 99, 100].map(demoPhaseOf)).toEqual(['customers', 'customers', 'orders', 'orders', 'aggregates', 'segments', 'campaign', 'campaign'])
  })
})

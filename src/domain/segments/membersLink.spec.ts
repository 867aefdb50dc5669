import { parse } from 'qs-esm'

import { compileRulesToWhere } from './compileWhere.js'
import { parseDsl } from './dsl/parse.js'
import { segmentMembersLink } from './membersLink.js'

const clock = { now: new Date('2026-06-15T12:00:00Z'), timeZone: 'Asia/Kolkata' }
const rulesOf = (dsl: string) => {
  const parsed = parseDsl(dsl)
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
  return parsed.rules
}

describe('segmentMembersLink', () => {
  it("should link to the customers list with the where compiler's output, under the configured routes", () => {
    const rules = rulesOf('spend > 10k AND NOT visits < 3')
    const link = segmentMembersLink({ adminRoute: '/cms/', apiRoute: '/v1', clock, id: 7, rules })
    expect(link.kind).toBe('list')
    if (link.kind !== 'list') return
    expect(link.href.startsWith('/cms/collections/customers?')).toBe(true)
    expect(link.csvHref).toBe('/v1/customers/export?segment=7')
    const where = parse(link.href.slice(link.href.indexOf('?') + 1), { depth: 20 }).where
    const expected = compileRulesToWhere({ clock, rules })
    expect(expected.ok).toBe(true)
    // qs carries values as strings, which Payload casts by field type (as for any list URL).
    expect(where).toEqual(JSON.parse(JSON.stringify((expected as { where: unknown }).where), (_key, value: unknown) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value)))
  })

  it('should give the reason and the CSV for rules outside the where subset', () => {
    expect(segmentMembersLink({ adminRoute: '/admin', apiRoute: '/api', clock, id: 3, rules: rulesOf('visits > 1 AND tags CONTAINS "vip"') })).toMatchObject({
      csvHref: '/api/customers/export?segment=3',
      kind: 'outside',
      path: 'rules[1]',
      reason: expect.stringContaining('tags'),
    })
  })

  it('should say when the saved rules are invalid', () => {
    expect(segmentMembersLink({ adminRoute: '/admin', apiRoute: '/api', clock, id: 3, rules: { combinator: 'and', rules: [] } })).toMatchObject({ kind: 'invalid' })
  })
})

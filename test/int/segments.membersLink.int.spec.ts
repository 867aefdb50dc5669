import type { CustomerFacts } from '../../src/domain/segments/evaluate.js'
import type { RuleGroup } from '../../src/domain/segments/types.js'
import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { readFileSync } from 'node:fs'
import path from 'node:path'
import React from 'react'
import { renderToStaticMarkup } from 'react-dom/server'

import { SegmentMembersLink } from '../../src/components/SegmentMembersLink/index.js'
import { evaluateRules } from '../../src/domain/segments/evaluate.js'
import { SEGMENT_MEMBERS_LINK } from '../../src/segments/withSegmentFeatures.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { loadCustomerFacts, seedSegmentCustomers } from '../helpers/segmentFixtures.js'
import { createUserWithRole } from '../helpers/users.js'

/**
 * The segment edit view's "Open N members" link: the href the component renders, requested as the
 * admin list would (same `where` query string, through Payload's REST parsing), selects exactly the
 * segment's members; rules outside the `where` subset get the reason and the CSV instead.
 */
describe('segment "Open N members" link', () => {
  let t: TestPayload
  let marketer: TestUser
  let viewer: TestUser
  let facts: (CustomerFacts & { id: number })[]

  const expectedIds = (rules: RuleGroup): number[] =>
    facts.filter((customer) => evaluateRules({ clock: { now: new Date(), timeZone: 'UTC' }, customer, rules })).map((customer) => customer.id)

  const render = async (dsl: string, role: 'marketer' | 'viewer' = 'marketer') => {
    const segment = await t.payload.create({ collection: 'segments', data: { dsl, name: dsl }, overrideAccess: true })
    const user = (await t.payload.findByID({ collection: 'users', id: (role === 'marketer' ? marketer : viewer).id, overrideAccess: true })) as unknown
    const element = SegmentMembersLink({ data: segment, id: segment.id, payload: t.payload, req: { payload: t.payload, user } } as never)
    const html = renderToStaticMarkup(element as React.ReactElement)
    const hrefOf = (testId: string) => {
      const match = new RegExp(`data-testid="${testId}" href="([^"]*)"`).exec(html)
      return match ? match[1]!.replace(/&amp;/g, '&') : undefined
    }
    return { html, list: hrefOf('segment-members-open'), csv: hrefOf('segment-members-csv'), segment }
  }

  beforeAll(async () => {
    t = await bootTestPayload('segments-members-link')
    await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
    await seedSegmentCustomers({ count: 200, now: new Date(), payload: t.payload, seed: 23 })
    facts = await loadCustomerFacts(t.payload)
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it.each([
    'spend > 1000 AND visits < 20',
    '(orders >= 2 AND NOT visits < 3) OR lastOrderAt WITHIN 60 DAYS',
    'inactive for 90 days AND marketingOptOut != true',
    'lastVisitAt IS NULL OR visits BETWEEN 2 AND 5',
  ])('should open exactly the members of %j in the customers list', async (dsl) => {
    const { html, list, segment } = await render(dsl)
    expect(list).toMatch(/^\/admin\/collections\/customers\?where/)
    const expected = expectedIds(segment.rules as RuleGroup)
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(facts.length)
    expect(segment.audienceCount).toBe(expected.length)
    expect(html).toContain(`Open ${expected.length} members`)
    // The admin list passes `?where…` to Payload's find exactly as REST does.
    const query = list!.slice(list!.indexOf('?') + 1)
    const res = await t.request(`/api/customers?${query}&depth=0&limit=1000&sort=id`, { headers: { authorization: `JWT ${marketer.token}` } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { docs: { id: number }[]; totalDocs: number }
    expect(body.totalDocs).toBe(expected.length)
    expect(body.docs.map((doc) => doc.id)).toEqual(expected)
  })

  it('should say why a rule is outside the list filter and offer the CSV of its members instead', async () => {
    const { csv, html, list, segment } = await render('city = "pune" AND visits > 1')
    expect(list).toBeUndefined()
    expect(html).toContain('cannot show these members exactly')
    expect(csv).toBe(`/api/customers/export?segment=${segment.id}`)
    const res = await t.request(csv!, { headers: { authorization: `JWT ${marketer.token}` } })
    expect(res.status).toBe(200)
    const rows = (await res.text()).trim().split('\n').slice(1)
    expect(rows.length).toBe(expectedIds(segment.rules as RuleGroup).length)
  })

  it('should not offer a viewer the CSV they may not download', async () => {
    const { csv, list } = await render('visits > 3', 'viewer')
    expect(list).toBeDefined()
    expect(csv).toBeUndefined()
  })

  it('should be a sidebar UI field of segments, in the generated import map', () => {
    const segments = t.payload.config.collections.find((collection) => collection.slug === 'segments')!
    const field = segments.fields.find((candidate) => 'name' in candidate && candidate.name === 'openMembers')
    expect(field).toMatchObject({ admin: { components: { Field: SEGMENT_MEMBERS_LINK }, position: 'sidebar' }, type: 'ui' })
    const map = readFileSync(path.resolve('app/(payload)/admin/importMap.js'), 'utf8')
    expect(map).toContain(`"${SEGMENT_MEMBERS_LINK}"`)
  })
})

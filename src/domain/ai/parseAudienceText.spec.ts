import { parseAudienceText } from './parseAudienceText.js'

const rulesOf = (text: string) => {
  const result = parseAudienceText(text)
  if (!result.ok) throw new Error(result.message)
  return result.rules
}

describe('parseAudienceText (offline audience parser)', () => {
  it.each([
    ['spent more than 5k', { combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 5000 }] }],
    ['Customers who spent over ₹10,000', { combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 10000 }] }],
    ['spent at least 1.5 lakh', { combinator: 'and', rules: [{ field: 'spend', operator: '>=', value: 150000 }] }],
    ['spent 2k or more', { combinator: 'and', rules: [{ field: 'spend', operator: '>=', value: 2000 }] }],
    ['spent less than 500 rupees', { combinator: 'and', rules: [{ field: 'spend', operator: '<', value: 500 }] }],
    ['spent between 1k and 5k', { combinator: 'and', rules: [{ field: 'spend', operator: 'between', value: [1000, 5000] }] }],
    ["haven't ordered in 3 months", { combinator: 'and', rules: [{ field: 'inactiveDays', operator: '>=', value: 90 }] }],
    ['have not bought anything for 2 weeks', { combinator: 'and', rules: [{ field: 'inactiveDays', operator: '>=', value: 14 }] }],
    ['no orders in the last 60 days', { combinator: 'and', rules: [{ field: 'inactiveDays', operator: '>=', value: 60 }] }],
    ['inactive for 90 days', { combinator: 'and', rules: [{ field: 'inactiveDays', operator: '>=', value: 90 }] }],
    ['from Pune', { combinator: 'and', rules: [{ field: 'city', operator: '=', value: 'Pune' }] }],
    ['from Pune or Delhi', { combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['Pune', 'Delhi'] }] }],
    ['from Pune, Delhi or Navi Mumbai', { combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['Pune', 'Delhi', 'Navi Mumbai'] }] }],
    ['not from Chennai', { combinator: 'and', rules: [{ field: 'city', operator: '!=', value: 'Chennai' }] }],
    ['visited fewer than 3 times', { combinator: 'and', rules: [{ field: 'visits', operator: '<', value: 3 }] }],
    ['visited at least twice', { combinator: 'and', rules: [{ field: 'visits', operator: '>=', value: 2 }] }],
    ['with fewer than 3 visits', { combinator: 'and', rules: [{ field: 'visits', operator: '<', value: 3 }] }],
    ['never ordered', { combinator: 'and', rules: [{ field: 'orders', operator: '=', value: 0 }] }],
    ['more than 2 orders', { combinator: 'and', rules: [{ field: 'orders', operator: '>', value: 2 }] }],
    ['ordered in the last 30 days', { combinator: 'and', rules: [{ field: 'lastOrderAt', operator: 'withinDays', value: 30 }] }],
    ['joined in the past month', { combinator: 'and', rules: [{ field: 'createdAt', operator: 'withinDays', value: 30 }] }],
    ['tagged vip', { combinator: 'and', rules: [{ field: 'tags', operator: 'contains', value: 'vip' }] }],
    ['opted out', { combinator: 'and', rules: [{ field: 'marketingOptOut', operator: '=', value: true }] }],
    ['with a gmail address', { combinator: 'and', rules: [{ field: 'email', operator: 'endsWith', value: '@gmail.com' }] }],
    [
      "people who spent over 5k but haven't ordered in 3 months",
      { combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 5000 }, { field: 'inactiveDays', operator: '>=', value: 90 }] },
    ],
    [
      'from Pune or Delhi and visited fewer than 3 times',
      { combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['Pune', 'Delhi'] }, { field: 'visits', operator: '<', value: 3 }] },
    ],
    [
      'spent more than 5k or visited fewer than 3 times',
      { combinator: 'or', rules: [{ field: 'spend', operator: '>', value: 5000 }, { field: 'visits', operator: '<', value: 3 }] },
    ],
    [
      'tagged vip, from Mumbai and ordered within 2 weeks',
      {
        combinator: 'and',
        rules: [
          { field: 'tags', operator: 'contains', value: 'vip' },
          { field: 'city', operator: '=', value: 'Mumbai' },
          { field: 'lastOrderAt', operator: 'withinDays', value: 14 },
        ],
      },
    ],
  ])('should read %j', (text, expected) => {
    expect(rulesOf(text)).toEqual(expected)
  })

  it.each(['people who like cats', 'spent a lot', '', 'from 12345'])('should report %j instead of guessing', (text) => {
    const result = parseAudienceText(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(/Could not understand/)
  })

  it('should be deterministic', () => {
    expect(rulesOf('spent more than 5k and from Pune')).toEqual(rulesOf('spent more than 5k and from Pune'))
  })
})

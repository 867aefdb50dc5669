import type { RuleGroup } from '../types.js'

import { parseDsl } from './parse.js'

const rulesOf = (text: string): RuleGroup => {
  const result = parseDsl(text)
  if (!result.ok) throw new Error(`expected "${text}" to parse: ${JSON.stringify(result.errors)}`)
  return result.rules
}

const errorOf = (text: string) => {
  const result = parseDsl(text)
  if (result.ok) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(result.rules)}`)
  return result.errors[0]!
}

describe('parseDsl', () => {
  it('should parse every contract example', () => {
    expect(rulesOf('spend > 10000 AND visits < 3')).toEqual({
      combinator: 'and',
      rules: [
        { field: 'spend', operator: '>', value: 10000 },
        { field: 'visits', operator: '<', value: 3 },
      ],
    })
    expect(rulesOf('spend > INR 10,000 AND visits < 3 OR inactive for 90 days')).toEqual({
      combinator: 'or',
      rules: [
        { combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 10000 }, { field: 'visits', operator: '<', value: 3 }] },
        { field: 'inactiveDays', operator: '>=', value: 90 },
      ],
    })
    expect(rulesOf('(city = "Pune" OR city IN ("Delhi","Mumbai")) AND NOT tags CONTAINS "churned"')).toEqual({
      combinator: 'and',
      rules: [
        { combinator: 'or', rules: [{ field: 'city', operator: '=', value: 'Pune' }, { field: 'city', operator: 'in', value: ['Delhi', 'Mumbai'] }] },
        { combinator: 'and', not: true, rules: [{ field: 'tags', operator: 'contains', value: 'churned' }] },
      ],
    })
    expect(rulesOf('visits BETWEEN 5 AND 10 AND email ENDS WITH "@example.org"')).toEqual({
      combinator: 'and',
      rules: [
        { field: 'visits', operator: 'between', value: [5, 10] },
        { field: 'email', operator: 'endsWith', value: '@example.org' },
      ],
    })
    expect(rulesOf('city NOT IN ("Pune") AND name BEGINS WITH "A" AND phone IS NOT NULL')).toEqual({
      combinator: 'and',
      rules: [
        { field: 'city', operator: 'notIn', value: ['Pune'] },
        { field: 'name', operator: 'beginsWith', value: 'A' },
        { field: 'phone', operator: 'notNull' },
      ],
    })
    expect(rulesOf('lastOrderAt WITHIN 30 DAYS OR lastOrderAt BEFORE 60 DAYS AGO')).toEqual({
      combinator: 'or',
      rules: [
        { field: 'lastOrderAt', operator: 'withinDays', value: 30 },
        { field: 'lastOrderAt', operator: 'beforeDaysAgo', value: 60 },
      ],
    })
  })

  it.each([
    ['spend = 5', { field: 'spend', operator: '=', value: 5 }],
    ['spend == 5', { field: 'spend', operator: '=', value: 5 }],
    ['spend != 5', { field: 'spend', operator: '!=', value: 5 }],
    ['spend <> 5', { field: 'spend', operator: '!=', value: 5 }],
    ['spend > 5', { field: 'spend', operator: '>', value: 5 }],
    ['spend >= 5', { field: 'spend', operator: '>=', value: 5 }],
    ['spend < 5', { field: 'spend', operator: '<', value: 5 }],
    ['spend <= 5', { field: 'spend', operator: '<=', value: 5 }],
    ['orders between 1 and 3', { field: 'orders', operator: 'between', value: [1, 3] }],
    ['visits in (1, 2)', { field: 'visits', operator: 'in', value: [1, 2] }],
    ['visits not in (1, 2)', { field: 'visits', operator: 'notIn', value: [1, 2] }],
    ['name contains "ra"', { field: 'name', operator: 'contains', value: 'ra' }],
    ["name begins with 'A'", { field: 'name', operator: 'beginsWith', value: 'A' }],
    ['email ends with ".in"', { field: 'email', operator: 'endsWith', value: '.in' }],
    ['phone is null', { field: 'phone', operator: 'null' }],
    ['phone is not null', { field: 'phone', operator: 'notNull' }],
    ['createdAt within 7 days', { field: 'createdAt', operator: 'withinDays', value: 7 }],
    ['lastVisitAt before 1 day ago', { field: 'lastVisitAt', operator: 'beforeDaysAgo', value: 1 }],
    ['lastOrderAt > 2025-03-01', { field: 'lastOrderAt', operator: '>', value: '2025-03-01' }],
    ['lastOrderAt <= "2025-03-01T10:00:00+05:30"', { field: 'lastOrderAt', operator: '<=', value: '2025-03-01T10:00:00+05:30' }],
    ['marketingOptOut = TRUE', { field: 'marketingOptOut', operator: '=', value: true }],
    ['inactiveDays > 30', { field: 'inactiveDays', operator: '>', value: 30 }],
    ['attributes.preferredChannel = "sms"', { field: 'attributes.preferredChannel', operator: '=', value: 'sms' }],
    ['tags contains "vip"', { field: 'tags', operator: 'contains', value: 'vip' }],
  ])('should parse %s', (text, rule) => {
    expect(rulesOf(text)).toEqual({ combinator: 'and', rules: [rule] })
  })

  it.each([
    ['10000', 10000],
    ['10,000', 10000],
    ['1,000,000', 1000000],
    ['10k', 10000],
    ['1.5k', 1500],
    ['1.1k', 1100],
    ['2.5', 2.5],
    ['INR 10,000', 10000],
    ['₹ 2k', 2000],
    ['-3', -3],
    ['1e3', 1000],
  ])('should read the amount %s as %d', (text, value) => {
    expect(rulesOf(`spend >= ${text}`).rules[0]).toEqual({ field: 'spend', operator: '>=', value })
  })

  it('should treat a comma not followed by exactly three digits as a list separator', () => {
    expect(rulesOf('visits IN (1,2)').rules[0]).toEqual({ field: 'visits', operator: 'in', value: [1, 2] })
    expect(rulesOf('visits IN (1,0000)').rules[0]).toEqual({ field: 'visits', operator: 'in', value: [1, 0] })
  })

  it('should bind NOT tighter than AND, and AND tighter than OR', () => {
    expect(rulesOf('NOT visits = 1 AND spend = 2 OR orders = 3')).toEqual({
      combinator: 'or',
      rules: [
        {
          combinator: 'and',
          rules: [
            { combinator: 'and', not: true, rules: [{ field: 'visits', operator: '=', value: 1 }] },
            { field: 'spend', operator: '=', value: 2 },
          ],
        },
        { field: 'orders', operator: '=', value: 3 },
      ],
    })
    expect(rulesOf('visits = 1 AND (spend = 2 OR orders = 3)')).toEqual({
      combinator: 'and',
      rules: [{ field: 'visits', operator: '=', value: 1 }, { combinator: 'or', rules: [{ field: 'spend', operator: '=', value: 2 }, { field: 'orders', operator: '=', value: 3 }] }],
    })
    expect(rulesOf('NOT (visits = 1 OR spend = 2)')).toEqual({
      combinator: 'and',
      rules: [{ combinator: 'or', not: true, rules: [{ field: 'visits', operator: '=', value: 1 }, { field: 'spend', operator: '=', value: 2 }] }],
    })
  })

  it('should read keywords and field names in any case, and keep escaped quotes', () => {
    expect(rulesOf('CITY = "Pu\\"ne" and VISITS Is Not Null')).toEqual({
      combinator: 'and',
      rules: [{ field: 'city', operator: '=', value: 'Pu"ne' }, { field: 'visits', operator: 'notNull' }],
    })
  })

  it.each([
    ['', 0, 'a rule'],
    ['spend >', 7, 'a value'],
    ['spend 5', 6, 'an operator'],
    ['visits = 1 AND', 14, 'a field'],
    ['(visits = 1', 11, '")"'],
    ['visits = 1)', 10, 'the end of the text'],
    ['city IN "Pune"', 8, '"("'],
    ['city = "Pune', 12, 'closing'],
    ['visits = 1 # 2', 11, 'Unexpected character'],
    ['lastOrderAt WITHIN 30', 21, 'DAYS'],
    ['lastOrderAt BEFORE 30 DAYS', 26, 'AGO'],
    ['spend > 10kg', 8, 'Malformed number'],
  ])('should reject %j at position %d naming what was expected', (text, position, expected) => {
    const error = errorOf(text)
    expect(error.position).toBe(position)
    expect(error.column).toBe(position + 1)
    expect(error.message).toContain(expected)
    expect(error.message).toContain(`position ${position}`)
  })

  it('should name an unknown field and a value of the wrong type with the rule position', () => {
    expect(errorOf('visits = 1 AND colour = "red"')).toMatchObject({ message: expect.stringContaining('Unknown field "colour"'), position: 15 })
    expect(errorOf('visits = 1 AND city > 5')).toMatchObject({ message: expect.stringContaining('does not apply to city'), position: 15, rulePath: 'rules[1].operator' })
    expect(errorOf('visits = "many"')).toMatchObject({ message: expect.stringContaining('Expected a number'), rulePath: 'rules[0].value' })
  })

  it.each([
    ['visits > "abc"', 9, 'rules[0].value'],
    ['spend > 5 AND lastOrderAt > 12', 28, 'rules[1].value'],
    ['visits IN (1, "two", 3)', 14, 'rules[0].value[1]'],
    ['visits BETWEEN 1 AND "x"', 21, 'rules[0].value[1]'],
    ['city = "Pune" OR (visits > 2 AND\n  orders = true)', 44, 'rules[1].rules[1].value'],
  ])('should point a value of the wrong type in %j at the value (position %d)', (text, position, rulePath) => {
    const error = errorOf(text)
    expect(error).toMatchObject({ position, rulePath })
    expect(error.message).toContain(`at position ${position}`)
  })

  it('should report the line and column on multi-line input', () => {
    expect(errorOf('visits = 1\nAND spend >')).toMatchObject({ column: 12, line: 2 })
  })
})

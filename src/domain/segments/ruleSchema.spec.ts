import { ruleTreeSchema, validateRules } from './ruleSchema.js'

const issuesOf = (input: unknown) => {
  const result = validateRules(input)
  if (result.ok) throw new Error('expected issues')
  return result.issues
}

describe('validateRules', () => {
  it('should name the path of a value of the wrong type', () => {
    const input = {
      combinator: 'and',
      rules: [
        { field: 'spend', operator: '>', value: 10 },
        { combinator: 'or', rules: [{ field: 'visits', operator: '>', value: 'many' }] },
      ],
    }
    expect(issuesOf(input)).toEqual([{ message: 'Expected a number, got "many"', path: 'rules[1].rules[0].value' }])
  })

  it.each([
    [{ combinator: 'and', rules: [{ field: 'colour', operator: '=', value: 'red' }] }, 'rules[0].field', /Unknown field "colour"/],
    [{ combinator: 'and', rules: [{ field: 'spend', operator: 'like', value: 1 }] }, 'rules[0].operator', /Unknown operator "like"/],
    [{ combinator: 'and', rules: [{ field: 'city', operator: '>', value: 'a' }] }, 'rules[0].operator', /does not apply to city/],
    [{ combinator: 'and', rules: [{ field: 'visits', operator: 'between', value: [1] }] }, 'rules[0].value', /two values/],
    [{ combinator: 'and', rules: [{ field: 'city', operator: 'in', value: [] }] }, 'rules[0].value', /list of 1/],
    [{ combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['a', 3] }] }, 'rules[0].value[1]', /Expected text/],
    [{ combinator: 'and', rules: [{ field: 'lastOrderAt', operator: '>', value: '01/03/2025' }] }, 'rules[0].value', /ISO 8601/],
    [{ combinator: 'and', rules: [{ field: 'lastOrderAt', operator: 'withinDays', value: -1 }] }, 'rules[0].value', /whole number of days/],
    [{ combinator: 'and', rules: [{ field: 'inactiveDays', operator: '>', value: 1.5 }] }, 'rules[0].value', /whole number/],
    [{ combinator: 'and', rules: [{ field: 'tags', operator: 'contains', value: '' }] }, 'rules[0].value', /non-empty/],
    [{ combinator: 'and', rules: [{ field: 'marketingOptOut', operator: '=', value: 'yes' }] }, 'rules[0].value', /true or false/],
    [{ combinator: 'and', rules: [{ field: 'attributes.a-b', operator: '=', value: 1 }] }, 'rules[0].field', /Unknown field/],
    [{ combinator: 'xor', rules: [{ field: 'visits', operator: '=', value: 1 }] }, 'combinator', /"and" or "or"/],
    [{ combinator: 'and', rules: [] }, 'rules', /non-empty/],
    [{ combinator: 'and', rules: [{ field: 'visits', operator: '=', value: 1, extra: 1 }] }, 'rules[0].extra', /Unknown key "extra"/],
    [[1, 2], 'rules', /must be a group/],
  ])('should reject %j at %s', (input, path, message) => {
    const issues = issuesOf(input)
    expect(issues.map((issue) => issue.path)).toContain(path)
    expect(issues.find((issue) => issue.path === path)!.message).toMatch(message)
  })

  it('should accept react-querybuilder extras (id, valueSource, not:false) and drop them', () => {
    const result = validateRules({ combinator: 'AND', id: 'g1', not: false, rules: [{ field: 'visits', id: 'r1', operator: 'null', value: '', valueSource: 'value' }] })
    expect(result).toEqual({ ok: true, rules: { combinator: 'and', rules: [{ field: 'visits', operator: 'null' }] } })
  })

  it('should accept 50 nested groups and refuse more than 100', () => {
    const nest = (depth: number): unknown => (depth === 0 ? { field: 'visits', operator: '>', value: 1 } : { combinator: depth % 2 ? 'and' : 'or', not: true, rules: [nest(depth - 1)] })
    expect(validateRules(nest(50)).ok).toBe(true)
    expect(issuesOf(nest(120))[0]!.message).toMatch(/nested more than 100/)
  })

  it('should be usable as a zod schema keeping the rule path', () => {
    const result = ruleTreeSchema.safeParse({ combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 'x' }] })
    expect(result.success).toBe(false)
    expect(result.error!.issues[0]).toMatchObject({ message: 'Expected a number, got "x"', params: { rulePath: 'rules[0].value' } })
  })
})

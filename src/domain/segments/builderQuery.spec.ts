import { builderToRuleTree, isEmptyGroup, issueLocation } from './builderQuery.js'
import { formatDsl } from './dsl/format.js'
import { validateRules } from './ruleSchema.js'

describe('builderToRuleTree', () => {
  it('should type values from text inputs by field and drop ids', () => {
    const query = {
      combinator: 'and',
      id: 'root',
      not: false,
      rules: [
        { field: 'visits', id: 'a', operator: '>=', value: '5', valueSource: 'value' },
        { field: 'spend', id: 'b', operator: 'between', value: '100, 2000.5' },
        { field: 'city', id: 'c', operator: 'in', value: 'Pune, Delhi ,' },
        { field: 'marketingOptOut', id: 'd', operator: '=', value: 'false' },
        { field: 'lastOrderAt', id: 'e', operator: 'withinDays', value: '30' },
        { field: 'email', id: 'f', operator: 'null', value: '' },
        { combinator: 'or', id: 'g', not: true, rules: [{ field: 'tags', id: 'h', operator: 'contains', value: ' vip ' }] },
      ],
    }
    expect(builderToRuleTree(query)).toEqual({
      combinator: 'and',
      rules: [
        { field: 'visits', operator: '>=', value: 5 },
        { field: 'spend', operator: 'between', value: [100, 2000.5] },
        { field: 'city', operator: 'in', value: ['Pune', 'Delhi'] },
        { field: 'marketingOptOut', operator: '=', value: false },
        { field: 'lastOrderAt', operator: 'withinDays', value: 30 },
        { field: 'email', operator: 'null' },
        { combinator: 'or', not: true, rules: [{ field: 'tags', operator: 'contains', value: 'vip' }] },
      ],
    })
    const validated = validateRules(builderToRuleTree(query))
    expect(validated.ok).toBe(true)
    if (validated.ok) expect(formatDsl(validated.rules)).toBe('visits >= 5 AND spend BETWEEN 100 AND 2000.5 AND city IN ("Pune", "Delhi") AND marketingOptOut = false AND lastOrderAt WITHIN 30 DAYS AND email IS NULL AND NOT tags CONTAINS "vip"')
  })

  it('should keep what is not a number for the validator to name, at the path the builder shows', () => {
    const tree = builderToRuleTree({ combinator: 'and', rules: [{ field: 'visits', operator: '=', value: '1' }, { combinator: 'or', rules: [{ field: 'spend', operator: '>', value: 'lots' }] }] })
    const validated = validateRules(tree)
    expect(validated.ok).toBe(false)
    if (!validated.ok) {
      expect(validated.issues[0]!.path).toBe('rules[1].rules[0].value')
      expect(issueLocation(validated.issues[0]!.path)).toEqual({ part: 'value', path: [1, 0] })
    }
  })

  it('should keep array values from the builder and strings of attributes as typed', () => {
    expect(builderToRuleTree({ field: 'attributes.tier', operator: 'in', value: ['gold', '2'] })).toEqual({ field: 'attributes.tier', operator: 'in', value: ['gold', '2'] })
    expect(builderToRuleTree({ field: 'inactiveDays', operator: 'in', value: ['30', 60] })).toEqual({ field: 'inactiveDays', operator: 'in', value: [30, 60] })
  })
})

describe('issueLocation', () => {
  it('should read rule, group and root paths', () => {
    expect(issueLocation('rules[2].field')).toEqual({ part: 'field', path: [2] })
    expect(issueLocation('rules[1].rules')).toEqual({ part: 'group', path: [1] })
    expect(issueLocation('rules')).toEqual({ part: 'group', path: [] })
    expect(issueLocation('rules[0].value[1]')).toEqual({ part: 'value', path: [0] })
    expect(issueLocation('rules[3]')).toEqual({ part: 'rule', path: [3] })
    expect(issueLocation('dsl')).toBeNull()
  })

  it('should name the empty group the server refuses', () => {
    const validated = validateRules(builderToRuleTree({ combinator: 'and', rules: [{ field: 'visits', operator: '>', value: '1' }, { combinator: 'or', rules: [] }] }))
    expect(validated.ok).toBe(false)
    if (!validated.ok) expect(validated.issues.map((issue) => issueLocation(issue.path))).toEqual([{ part: 'group', path: [1] }])
    expect(isEmptyGroup({ combinator: 'and', rules: [] })).toBe(true)
    expect(isEmptyGroup({ combinator: 'and', rules: [{ field: 'visits', operator: 'null' }] })).toBe(false)
  })
})

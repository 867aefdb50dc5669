import fc from 'fast-check'

import type { CompiledTemplate } from './types.js'

import { compileTemplate } from './compileTemplate.js'
import { describeTemplateProblems } from './describeTemplateProblems.js'
import { firstNameOf } from './firstNameOf.js'
import { renderTemplate } from './renderTemplate.js'
import { TEMPLATE_FIELDS } from './templateFields.js'
import { validateTemplate } from './validateTemplate.js'

const compile = (source: string, timeZone?: string): CompiledTemplate => {
  const result = compileTemplate({ source, timeZone })
  if (!result.isValid) throw new Error(`unexpected template errors: ${result.errors.map((e) => e.message).join('; ')}`)
  return result.template
}

const render = (source: string, customer: Record<string, unknown>, timeZone?: string): string =>
  renderTemplate({ customer, template: compile(source, timeZone) })

const asha = {
  attributes: { 'favourite store': 'Koregaon Park', favouriteStore: 'Baner', loyalty: { tier: 'gold' }, points: 120.5, 'size.shoe': 7, sizes: ['S', 'M'] },
  city: 'Pune',
  createdAt: '2024-12-31T20:00:00.000Z',
  email: 'asha@example.com',
  lastOrderAt: '2025-03-01T20:00:00.000Z',
  lastVisitAt: null,
  marketingOptOut: false,
  name: 'Asha Rao',
  orderCount: 3,
  phone: '+91 98200 00000',
  tags: ['vip', 'early-adopter'],
  totalSpend: 12500.75,
  visits: 0,
}

describe('firstNameOf', () => {
  it.each([
    ['José, Jr.', 'José'],
    ['  Asha Rao ', 'Asha'],
    ['Zoë', 'Zoë'],
    ["Anne-Marie O'Neil", 'Anne-Marie'],
    ['अर्जुन कुमार', 'अर्जुन'],
    ['李 小龙', '李'],
    ['Ñandú! Pérez', 'Ñandú'],
    ['Dr. Who', 'Dr'],
    ['Łukasz\tŻółć', 'Łukasz'],
    ['...', ''],
    ['', ''],
  ])('should read %j as %j', (name, first) => {
    expect(firstNameOf(name)).toBe(first)
  })
})

describe('renderTemplate', () => {
  it('should substitute the contract example fields', () => {
    expect(render('Hi {{firstName}} ({{name}}) from {{city}}!', asha)).toBe('Hi Asha (Asha Rao) from Pune!')
    expect(render('Hi {{firstName}}', { name: 'José, Jr.' })).toBe('Hi José')
  })

  it('should render a missing value as the fallback, or as nothing', () => {
    const template = compile('Hi {{firstName | "there"}}, see you in {{city}}.')
    expect(renderTemplate({ customer: { city: null, name: null }, template })).toBe('Hi there, see you in .')
    expect(renderTemplate({ customer: {}, template })).toBe('Hi there, see you in .')
    expect(renderTemplate({ customer: { city: '   ', name: ' ' }, template })).toBe('Hi there, see you in .')
    expect(renderTemplate({ customer: { name: '…' }, template })).toBe('Hi there, see you in .')
  })

  it('should not treat zero or false as missing', () => {
    expect(render('{{visits | "none"}} {{marketingOptOut | "?"}}', asha)).toBe('0 false')
  })

  it('should keep quotes, escapes and braces inside fallbacks literally', () => {
    expect(render('{{firstName | "the \\"best\\" one"}}', {})).toBe('the "best" one')
    expect(render("{{firstName | 'it\\'s you'}}", {})).toBe("it's you")
    expect(render('{{city | "a \\\\ b"}}', {})).toBe('a \\ b')
    expect(render('{{city | "{{nowhere}} | }}"}}!', {})).toBe('{{nowhere}} | }}!')
    expect(render('{{city|""}}-', {})).toBe('-')
  })

  it('should substitute as plain text, without HTML escaping or re-expanding values', () => {
    const customer = { city: '{{email}}', email: 'x@example.com', name: '<b>Tom & "Jerry"</b>' }
    expect(render('{{name}} / {{city}}', customer)).toBe('<b>Tom & "Jerry"</b> / {{email}}')
  })

  it('should read any attribute key, literally and as a quoted key', () => {
    expect(render('{{attributes.favouriteStore}} {{attributes["favourite store"]}} {{attributes.size.shoe}}', asha)).toBe('Baner Koregaon Park 7')
    expect(render('{{ attributes[ \'favourite store\' ] | "-" }}', asha)).toBe('Koregaon Park')
    expect(render('{{attributes.unknownKey | "none"}}|{{attributes.x}}|', asha)).toBe('none||')
    expect(render('{{attributes.x | "none"}}', { attributes: null })).toBe('none')
    expect(render('{{attributes.x | "none"}}', { attributes: 'not an object' })).toBe('none')
  })

  it('should never read inherited properties as values', () => {
    expect(render('{{attributes.toString | "none"}} {{attributes.__proto__ | "none"}}', asha)).toBe('none none')
  })

  it('should render numbers as plain decimals with at most two places', () => {
    expect(render('{{totalSpend}} {{orderCount}} {{attributes.points}}', asha)).toBe('12500.75 3 120.5')
    expect(render('{{totalSpend}}', { totalSpend: 0.1 + 0.2 })).toBe('0.3')
    expect(render('{{totalSpend}}', { totalSpend: 1234567.891 })).toBe('1234567.89')
    expect(render('{{totalSpend | "n/a"}}', { totalSpend: Number.NaN })).toBe('n/a')
  })

  it('should render dates as the calendar day in the given time zone', () => {
    expect(render('{{lastOrderAt}} {{createdAt}}', asha)).toBe('2025-03-01 2024-12-31')
    expect(render('{{lastOrderAt}} {{createdAt}}', asha, 'Asia/Kolkata')).toBe('2025-03-02 2025-01-01')
    expect(render('{{lastOrderAt}}', { lastOrderAt: new Date('2025-06-30T23:30:00-07:00') }, 'America/Los_Angeles')).toBe('2025-06-30')
    expect(render('{{lastVisitAt | "never"}}', asha)).toBe('never')
    expect(render('{{lastVisitAt}}', { lastVisitAt: 'soon' })).toBe('soon')
  })

  it('should join lists with commas and print other attribute objects as JSON', () => {
    expect(render('{{tags}} | {{attributes.sizes}} | {{attributes.loyalty}}', asha)).toBe('vip, early-adopter | S, M | {"tier":"gold"}')
    expect(render('{{tags | "no tags"}}', { tags: [] })).toBe('no tags')
    expect(render('{{tags | "no tags"}}', { tags: [null, ' '] })).toBe('no tags')
  })

  it('should render a cyclic attribute as missing instead of throwing', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(render('[{{attributes.c | "?"}}]', { attributes: { c: cyclic } })).toBe('[?]')
  })

  it('should keep unicode text and values intact', () => {
    expect(render('नमस्ते {{firstName}} 🙂 — {{city}}', { city: 'München', name: 'अर्जुन कुमार' })).toBe('नमस्ते अर्जुन 🙂 — München')
  })

  it('should write escaped braces literally and leave single braces alone', () => {
    expect(render('\\{{firstName}} is {{firstName}}; {a} } {', asha)).toBe('{{firstName}} is Asha; {a} } {')
    expect(render('\\}}', {})).toBe('}}')
    expect(render('\\{{a}} \\}}', {})).toBe('{{a}} }}')
    expect(validateTemplate({ source: '\\{{a}} }}' })).toHaveLength(1)
    expect(validateTemplate({ source: '\\{{a}} {{city}} }}' })).toHaveLength(1)
  })

  it('should ignore spaces inside the braces', () => {
    expect(render('{{  city  }}{{city|"x"}}{{ city |"x" }}', asha)).toBe('PunePunePune')
  })
})

describe('compileTemplate', () => {
  it('should list the columns a template reads, firstName reading name', () => {
    const template = compile('{{firstName}} {{city}} {{name}} {{attributes.b}} {{attributes.a}} {{attributes.b}}')
    expect(template.columns).toEqual(['attributes', 'city', 'name'])
    expect(template.attributeKeys).toEqual(['a', 'b'])
    expect(template.placeholders.map((p) => p.raw)).toEqual(['{{firstName}}', '{{city}}', '{{name}}', '{{attributes.b}}', '{{attributes.a}}', '{{attributes.b}}'])
    expect(compile('No placeholders').columns).toEqual([])
  })

  it('should accept every contract field', () => {
    for (const field of Object.keys(TEMPLATE_FIELDS)) expect(validateTemplate({ source: `{{${field}}}` })).toEqual([])
  })

  it('should return the errors instead of a template', () => {
    const result = compileTemplate({ source: 'Hi {{frstName}}' })
    expect(result.isValid).toBe(false)
    expect(!result.isValid && result.errors).toEqual(validateTemplate({ source: 'Hi {{frstName}}' }))
  })

  it('should refuse a time zone the runtime does not know', () => {
    expect(() => compileTemplate({ source: 'x', timeZone: 'Mars/Olympus' })).toThrow(RangeError)
  })
})

describe('validateTemplate', () => {
  const only = (source: string) => {
    const errors = validateTemplate({ source })
    expect(errors).toHaveLength(1)
    return errors[0]!
  }

  it.each([
    ['Hi {{firstName', 3, /"\{\{" is not closed/],
    ['Hi }} there', 3, /"\}\}" closes nothing/],
    ['A {{}} B', 2, /Empty placeholder/],
    ['A {{   }} B', 2, /Empty placeholder/],
    ['Hi {{frstName}}', 5, /Unknown field "frstName"/],
    ['Hi {{FirstName}}', 5, /did you mean "firstName"\?/],
    ['Hi {{first_name}}', 5, /did you mean "firstName"\?/],
    ['{{id}}', 2, /Unknown field "id"/],
    ['{{attributes}}', 2, /Name one attribute/],
    ['{{attributes.}}', 13, /Expected an attribute key/],
    ['{{attributes[favourite]}}', 13, /quoted attribute key/],
    ['{{attributes["a"}}', 16, /Expected "\]"/],
    ['{{name.first}}', 6, /no sub-fields/],
    ['{{firstName | there}}', 14, /A fallback is a quoted text/],
    ['{{firstName |}}', 13, /found nothing/],
    ['{{firstName | "there}}', 14, /quoted text is not closed/],
    ['{{firstName | "a" "b"}}', 18, /Expected "\}\}" after the fallback/],
    ['{{firstName "x"}}', 12, /Expected "\|" or "\}\}"/],
    ['{{ firstName name }}', 13, /Expected "\|" or "\}\}"/],
    ['{{city | "a\\nb"}}', 11, /Unknown escape "\\n"/],
    ['{{9lives}}', 2, /Expected a field name/],
    ['{{{name}}}', 2, /Expected a field name, found "\{"/],
  ])('should report %j at offset %d', (source, offset, message) => {
    const error = only(source)
    expect(error.offset).toBe(offset)
    expect(error.message).toMatch(message)
  })

  it('should give line and column (in characters) and put them in the message', () => {
    expect(only('Line one\n  {{oops}}')).toMatchObject({ column: 5, line: 2, offset: 13 })
    const emoji = only('🙂 {{bad}}')
    expect(emoji).toMatchObject({ column: 5, line: 1, offset: 5 })
    expect(emoji.message).toMatch(/\(line 1, column 5\)$/)
  })

  it('should report every error, not just the first', () => {
    const errors = validateTemplate({ source: '{{a}} and {{b | x}} and }} and {{city}}' })
    expect(errors.map((e) => e.offset)).toEqual([2, 12, 24])
  })

  it('should report an unclosed placeholder and still read the next one', () => {
    const errors = validateTemplate({ source: '{{name {{cty}}' })
    expect(errors.map((e) => [e.offset, e.message.split(':')[0]])).toEqual([
      [0, '"{{" is not closed'],
      [9, 'Unknown field "cty"'],
    ])
  })

  it('should refuse a message that is not text', () => {
    expect(validateTemplate({ source: 42 })[0]?.message).toBe('The message must be text')
  })
})

describe('templates (properties)', () => {
  const braceless = fc.string({ maxLength: 200, unit: 'binary' }).filter((s) => !s.includes('{') && !s.includes('}'))
  const quote = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`
  const field = fc.constantFrom(...Object.keys(TEMPLATE_FIELDS))
  const attributeKey = fc.string({ maxLength: 12, minLength: 1, unit: 'binary' })
  const placeholder = fc
    .tuple(fc.oneof(field, attributeKey.map((key) => `attributes[${quote(key)}]`)), fc.option(fc.string({ maxLength: 20, unit: 'binary' })))
    .map(([target, fallback]) => (fallback === null ? `{{${target}}}` : `{{ ${target} | ${quote(fallback)} }}`))
  // No backslash in the text between placeholders: `\` + `{{` would be an escaped brace, not a placeholder.
  const plain = braceless.filter((s) => !s.includes('\\'))
  const template = fc.array(fc.oneof(plain, placeholder), { maxLength: 8 }).map((parts) => parts.join(''))
  const anyCustomer = fc.oneof(
    fc.dictionary(fc.constantFrom(...Object.keys(TEMPLATE_FIELDS), 'attributes'), fc.anything()),
    fc.record({ attributes: fc.dictionary(attributeKey, fc.anything()), name: fc.anything() }),
  )

  it('should render text without braces unchanged, with no errors', () => {
    fc.assert(
      fc.property(braceless, (text) => {
        expect(validateTemplate({ source: text })).toEqual([])
        expect(render(text, {})).toBe(text)
      }),
    )
  })

  it('should never throw while validating or compiling any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => {
        const errors = validateTemplate({ source: text })
        const compiled = compileTemplate({ source: text })
        expect(compiled.isValid).toBe(errors.length === 0)
        for (const error of errors) expect(error.offset).toBeLessThanOrEqual(text.length)
      }),
    )
  })

  it('should compile generated templates and never throw while rendering any customer', () => {
    fc.assert(
      fc.property(template, anyCustomer, (source, customer) => {
        const rendered = renderTemplate({ customer, template: compile(source) })
        expect(typeof rendered).toBe('string')
      }),
      { numRuns: 300 },
    )
  })

  it('should render any quoted fallback back exactly when the value is missing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), field, (fallback, name) => {
        expect(render(`<{{${name} | ${quote(fallback)}}}>`, {})).toBe(`<${fallback}>`)
      }),
    )
  })
})

describe('describeTemplateProblems', () => {
  it('should accept a usable template', () => {
    expect(describeTemplateProblems({ source: 'Hi {{firstName | "there"}}' })).toBe(true)
  })

  it('should name one problem with its position', () => {
    expect(describeTemplateProblems({ source: 'Hi {{frstName}}' })).toBe(
      'The message template has a problem: Unknown field "frstName": use a customer field (name, firstName, city, email, …) or attributes.<key> (line 1, column 6)',
    )
  })

  it('should count all problems and list the first five', () => {
    const text = describeTemplateProblems({ source: Array.from({ length: 7 }, (_, i) => `{{bad${i}}}`).join(' ') })
    expect(text).toMatch(/^The message template has 7 problems: Unknown field "bad0"/)
    expect(text).toMatch(/"bad4".*; and 2 more$/)
    expect(text).not.toMatch(/bad5/)
  })
})

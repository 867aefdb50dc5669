import type { TemplateColumn, TemplateField } from './templateFields.js'

/** A problem in a template, with where it is (to underline it in the editor and name it in a 400). */
export type TemplateError = {
  /** 1-based column on `line`, counted in characters (code points). */
  column: number
  /** 1-based line. */
  line: number
  /** Human-readable, names the problem and the way out: `Unknown field "frstName" at line 1, column 4 …`. */
  message: string
  /** 0-based UTF-16 offset into the template (JavaScript string index). */
  offset: number
}

/** What a placeholder reads: a top-level field, or one key of `attributes` (any key, taken literally). */
export type PlaceholderTarget = { attribute: string } | { field: TemplateField }

/** One `{{ … }}` as written. */
export type TemplatePlaceholder = {
  /** The text rendered when the value is missing; absent = empty. */
  fallback?: string
  /** 0-based offset of `{{`. */
  offset: number
  /** The placeholder exactly as written, braces included. */
  raw: string
  target: PlaceholderTarget
}

/** A parsed template: literal text and placeholders in order (adjacent texts merged). */
export type TemplateNode = { kind: 'text'; text: string } | ({ kind: 'placeholder' } & TemplatePlaceholder)

/** The customer columns a template reads, so a sender selects only those (`firstName` → `name`). */
export type TemplateColumns = {
  /** Keys of `attributes` used (empty unless `columns` has `attributes`). */
  attributeKeys: string[]
  /** Sorted, without duplicates. */
  columns: TemplateColumn[]
}

/** A template compiled once for fast rendering (`renderTemplate`); build it with `compileTemplate`. */
export type CompiledTemplate = TemplateColumns & {
  /** Literal text and prepared placeholder renderers, in order. */
  readonly parts: readonly (((customer: Readonly<Record<string, unknown>>) => string) | string)[]
  readonly placeholders: readonly TemplatePlaceholder[]
  readonly source: string
  /** The IANA zone in which dates render. */
  readonly timeZone: string
}

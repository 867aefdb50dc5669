'use client'

import type { JSONFieldClientComponent } from 'payload'
import type { RuleGroupType } from 'react-querybuilder'

import type { DslError } from '../../domain/segments/dsl/parse.js'
import type { RuleIssue } from '../../domain/segments/types.js'
import type { FetchValues } from './context.js'

import { useConfig, useField } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { prepareRuleGroup, QueryBuilder } from 'react-querybuilder'
import 'react-querybuilder/dist/query-builder.css'

import { builderToRuleTree, isEmptyGroup, issueLocation } from '../../domain/segments/builderQuery.js'
import { formatDsl } from '../../domain/segments/dsl/format.js'
import { parseDsl } from '../../domain/segments/dsl/parse.js'
import { attributeKeyOf } from '../../domain/segments/fields.js'
import { validateRules } from '../../domain/segments/ruleSchema.js'
import { AudiencePreview } from './AudiencePreview.js'
import { BOOLEAN_VALUES, builderFields, defaultValueFor, inputTypeFor, operatorsFor, valueEditorTypeFor } from './builderConfig.js'
import { SegmentBuilderContext } from './context.js'
import { DslBox } from './DslBox.js'
import { AddRuleWithIssues, RuleWithIssues } from './issueControls.js'
import './styles.css'
import { SuggestValueEditor } from './SuggestValueEditor.js'

const EMPTY: RuleGroupType = { combinator: 'and', rules: [] }

const isGroup = (value: unknown): value is RuleGroupType =>
  typeof value === 'object' && value !== null && Array.isArray((value as { rules?: unknown }).rules)

/** The form's `rules` value as the builder's query (ids added); anything else starts empty. */
const toQuery = (value: unknown): RuleGroupType => prepareRuleGroup(isGroup(value) ? structuredClone(value) : EMPTY)

const attributeKeysIn = (node: unknown, out = new Set<string>()): Set<string> => {
  if (isGroup(node)) for (const child of node.rules) attributeKeysIn(child, out)
  else if (typeof node === 'object' && node !== null) {
    const key = attributeKeyOf(String((node as { field?: unknown }).field))
    if (key) out.add(key)
  }
  return out
}

/** Issues keyed for the builder's controls: `1.0` for a rule, `group:1` for a group (see issueControls). */
const issuesByPath = (issues: RuleIssue[]): Map<string, string[]> => {
  const map = new Map<string, string[]>()
  for (const issue of issues) {
    const location = issueLocation(issue.path)
    if (!location) continue
    const key = location.part === 'group' ? `group:${location.path.join('.')}` : location.path.join('.')
    map.set(key, [...(map.get(key) ?? []), issue.message])
  }
  return map
}

/**
 * The segment edit view's `rules` field: react-querybuilder kept in sync with the form's `rules`
 * (re-synced when another component sets it), the DSL box (both ways) and a live audience preview.
 * The `dsl` field is written through the form too, so a save sends both; the collection hook still
 * derives one from the other for API callers.
 */
export const SegmentRulesField = ({ currency, field, path, readOnly }: React.ComponentProps<JSONFieldClientComponent> & { currency?: string }) => {
  const { config } = useConfig()
  const apiUrl = useCallback((route: string) => formatAdminURL({ apiRoute: config.routes.api, path: route as `/${string}`, relative: true }), [config.routes.api])
  const rulesField = useField<unknown>({ path })
  const dslPath = path.replace(/rules$/, 'dsl')
  const dslField = useField<null | string>({ path: dslPath })
  const isReadOnly = Boolean(readOnly || field?.admin?.readOnly)

  const [query, setQuery] = useState<RuleGroupType>(() => toQuery(rulesField.value))
  const [dslText, setDslText] = useState<string>(dslField.value ?? '')
  const [dslError, setDslError] = useState<DslError | null>(null)
  const [serverIssues, setServerIssues] = useState<RuleIssue[]>([])
  const [knownKeys, setKnownKeys] = useState<string[]>([])
  // What this component itself last wrote into the form, to tell our own updates from others'.
  const wroteRules = useRef(JSON.stringify(rulesField.value ?? null))
  const wroteDsl = useRef<null | string | undefined>(dslField.value)
  const isDslTyped = useRef(false)

  // Another component (the AI helper, a reset after save) changed `rules` or `dsl`: follow it.
  useEffect(() => {
    const json = JSON.stringify(rulesField.value ?? null)
    if (json === wroteRules.current) return
    wroteRules.current = json
    setQuery(toQuery(rulesField.value))
  }, [rulesField.value])
  useEffect(() => {
    if (dslField.value === wroteDsl.current) return
    wroteDsl.current = dslField.value
    isDslTyped.current = false
    setDslText(dslField.value ?? '')
    setDslError(null)
  }, [dslField.value])

  const fetchValues = useCallback<FetchValues>(
    async ({ field: source, q, signal }) => {
      const res = await fetch(`${apiUrl('/segments/values')}?${new URLSearchParams({ field: source, limit: '50', q })}`, { credentials: 'include', signal })
      if (!res.ok) return []
      return ((await res.json()) as { values: string[] }).values
    },
    [apiUrl],
  )
  useEffect(() => {
    const controller = new AbortController()
    fetchValues({ field: 'attributes', q: '', signal: controller.signal }).then(setKnownKeys, () => undefined)
    return () => controller.abort()
  }, [fetchValues])

  const tree = useMemo(() => builderToRuleTree(query), [query])
  const isEmpty = isEmptyGroup(query)
  const validation = useMemo(() => (isEmpty ? null : validateRules(tree)), [isEmpty, tree])
  const issues = useMemo(() => issuesByPath([...(validation && !validation.ok ? validation.issues : []), ...serverIssues]), [validation, serverIssues])
  const fields = useMemo(() => builderFields([...new Set([...knownKeys, ...attributeKeysIn(query)])].sort()), [knownKeys, query])

  const writeRules = (next: unknown) => {
    wroteRules.current = JSON.stringify(next ?? null)
    rulesField.setValue(next)
  }
  const writeDsl = (text: string) => {
    wroteDsl.current = text
    dslField.setValue(text)
  }

  const onQueryChange = (next: RuleGroupType) => {
    setQuery(next)
    setServerIssues([])
    if (isEmptyGroup(next)) {
      // No rules, no text: saving now fails with "send rules or dsl" rather than keep stale text.
      writeRules(null)
      isDslTyped.current = false
      setDslText('')
      setDslError(null)
      writeDsl('')
      return
    }
    const nextTree = builderToRuleTree(next)
    writeRules(nextTree)
    const checked = validateRules(nextTree)
    if (!checked.ok) return // the messages show at the rules; the DSL keeps its last valid text
    const text = formatDsl(checked.rules)
    isDslTyped.current = false
    setDslText(text)
    setDslError(null)
    writeDsl(text)
  }

  const onDslChange = (text: string) => {
    isDslTyped.current = true
    setDslText(text)
    writeDsl(text) // kept as typed: a save with a broken text fails with the parse error, never loses it
  }
  useEffect(() => {
    if (!isDslTyped.current) return
    const timer = setTimeout(() => {
      const parsed = parseDsl(dslText)
      if (!parsed.ok) {
        setDslError(parsed.errors[0] ?? null)
        return
      }
      setDslError(null)
      setServerIssues([])
      writeRules(parsed.rules)
      setQuery(toQuery(parsed.rules))
    }, 400)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-parse only when the text changes
  }, [dslText])

  const context = useMemo(() => ({ fetchValues, issues }), [fetchValues, issues])
  const previewRules = validation?.ok ? tree : null

  return (
    <div className="crm-segment-builder field-type" data-testid="segment-builder">
      <label className="field-label">Audience rules</label>
      {isReadOnly ? <p className="crm-segment-readonly" data-testid="segment-readonly">Read-only: your role can look at this segment but not change it.</p> : null}
      <SegmentBuilderContext.Provider value={context}>
        <QueryBuilder
          addRuleToNewGroups
          controlElements={{ addRuleAction: AddRuleWithIssues, rule: RuleWithIssues, valueEditor: SuggestValueEditor }}
          disabled={isReadOnly}
          enableMountQueryChange={false}
          fields={fields}
          getDefaultValue={(rule) => defaultValueFor(rule.field, rule.operator)}
          getInputType={inputTypeFor}
          getOperators={operatorsFor}
          getValueEditorType={valueEditorTypeFor}
          getValues={(fieldName) => (valueEditorTypeFor(fieldName) === 'select' ? BOOLEAN_VALUES : [])}
          listsAsArrays
          onQueryChange={onQueryChange}
          query={query}
          resetOnFieldChange
          showNotToggle
        />
      </SegmentBuilderContext.Provider>
      {isEmpty ? (
        <p className="crm-segment-empty" data-testid="segment-empty">
          Add a rule to define the audience{isReadOnly ? '' : ' (“+ Rule” above, or type it below)'}.
        </p>
      ) : null}
      <DslBox error={dslError} onChange={onDslChange} readOnly={isReadOnly} text={dslText} />
      <AudiencePreview apiUrl={apiUrl} currency={currency} onIssues={setServerIssues} rules={previewRules} />
    </div>
  )
}

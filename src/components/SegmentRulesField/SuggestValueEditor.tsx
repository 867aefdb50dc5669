'use client'

import type { ValueEditorProps } from 'react-querybuilder'

import React, { useContext, useEffect, useId, useState } from 'react'
import { ValueEditor } from 'react-querybuilder'

import { suggestionSourceOf } from './builderConfig.js'
import { SegmentBuilderContext } from './context.js'

const itemsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String)
  if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((item) => item.trim()).filter((item) => item !== '')
  return []
}

/** Distinct values of `source` containing `q`, fetched (debounced) from `GET /api/segments/values`. */
const useSuggestions = (source: string, q: string): string[] => {
  const { fetchValues } = useContext(SegmentBuilderContext)
  const [values, setValues] = useState<string[]>([])
  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      fetchValues({ field: source, q, signal: controller.signal }).then(setValues, () => undefined)
    }, 200)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [fetchValues, source, q])
  return values
}

/** One value with suggestions (a `<datalist>`): cities, tags, attribute values. */
const SingleSuggest = ({ className, disabled, handleOnChange, source, title, value }: { source: string } & Pick<ValueEditorProps, 'className' | 'disabled' | 'handleOnChange' | 'title' | 'value'>) => {
  const text = value === undefined || value === null ? '' : String(value)
  const options = useSuggestions(source, text)
  const listId = useId()
  return (
    <span className={className}>
      <input className="crm-suggest-input" disabled={disabled} list={listId} onChange={(event) => handleOnChange(event.target.value)} placeholder="value" title={title} type="text" value={text} />
      <datalist id={listId}>
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
    </span>
  )
}

/** A list of values as chips (`is one of`, `has any of`): pick a suggestion or type and press Enter. */
const MultiSuggest = ({ className, disabled, handleOnChange, source, title, value }: { source: string } & Pick<ValueEditorProps, 'className' | 'disabled' | 'handleOnChange' | 'title' | 'value'>) => {
  const items = itemsOf(value)
  const [draft, setDraft] = useState('')
  const options = useSuggestions(source, draft)
  const listId = useId()
  const add = (text: string) => {
    const item = text.trim()
    setDraft('')
    if (item !== '' && !items.includes(item)) handleOnChange([...items, item])
  }
  return (
    <span className={`${className ?? ''} crm-chips`}>
      {items.map((item) => (
        <span className="crm-chip" key={item}>
          {item}
          {disabled ? null : (
            <button aria-label={`Remove ${item}`} onClick={() => handleOnChange(items.filter((other) => other !== item))} type="button">
              ×
            </button>
          )}
        </span>
      ))}
      {disabled ? null : (
        <input
          className="crm-suggest-input"
          list={listId}
          onBlur={() => add(draft)}
          onChange={(event) => {
            // Picking from the datalist replaces the text at once: take it as an item.
            const isPick = (event.nativeEvent as InputEvent).inputType === 'insertReplacementText' || (event.nativeEvent as InputEvent).inputType === undefined
            if (isPick && options.includes(event.target.value)) add(event.target.value)
            else setDraft(event.target.value)
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ',') {
              event.preventDefault() // Enter would submit Payload's form
              add(draft)
            }
          }}
          placeholder={items.length === 0 ? 'add values' : 'add'}
          title={title}
          type="text"
          value={draft}
        />
      )}
      <datalist id={listId}>
        {options.filter((option) => !items.includes(option)).map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
    </span>
  )
}

/**
 * The builder's value editor: the city, tag and attribute pickers (values from the database), and
 * react-querybuilder's own editor for numbers, dates, days and booleans.
 */
export const SuggestValueEditor = (props: ValueEditorProps) => {
  const source = suggestionSourceOf(props.field)
  const isUnary = props.operator === 'null' || props.operator === 'notNull'
  if (!source || isUnary || props.operator === 'between') return <ValueEditor {...props} />
  const shared = { className: props.className, disabled: props.disabled, handleOnChange: props.handleOnChange, source, title: props.title, value: props.value }
  return props.operator === 'in' || props.operator === 'notIn' ? <MultiSuggest {...shared} /> : <SingleSuggest {...shared} />
}

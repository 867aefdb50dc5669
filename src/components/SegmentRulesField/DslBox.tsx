'use client'

import type { DslError } from '../../domain/segments/dsl/parse.js'

import React, { useId } from 'react'

/** The rules as text; a parse error shows under it with a caret at its position, and the text stays as typed. */
export const DslBox = ({ error, onChange, readOnly, text }: { error: DslError | null; onChange: (text: string) => void; readOnly: boolean; text: string }) => {
  const id = useId()
  const line = error ? (text.split('\n')[error.line - 1] ?? '') : ''
  return (
    <div className="crm-dsl">
      <label className="field-label" htmlFor={id}>
        As text
      </label>
      <textarea
        aria-invalid={error ? true : undefined}
        className="crm-dsl-input"
        data-testid="segment-dsl"
        id={id}
        onChange={(event) => onChange(event.target.value)}
        placeholder='spend > 10000 AND NOT (city = "Pune" OR tags CONTAINS "vip")'
        readOnly={readOnly}
        rows={3}
        spellCheck={false}
        value={text}
      />
      {error ? (
        <div className="crm-dsl-error" data-testid="segment-dsl-error" role="alert">
          <div>
            Line {error.line}, column {error.column} (position {error.position}): {error.message}
          </div>
          <pre aria-hidden="true" className="crm-dsl-caret">
            {line}
            {'\n'}
            {' '.repeat(Math.max(0, error.column - 1))}^
          </pre>
        </div>
      ) : null}
    </div>
  )
}

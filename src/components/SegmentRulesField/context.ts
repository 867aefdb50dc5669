'use client'

import { createContext } from 'react'

export type FetchValues = (args: { field: string; q: string; signal?: AbortSignal }) => Promise<string[]>

/** What the builder's inner controls need: the value suggestions, and the issues by rule path (`1.0`). */
export const SegmentBuilderContext = createContext<{ fetchValues: FetchValues; issues: Map<string, string[]> }>({
  fetchValues: () => Promise.resolve([]),
  issues: new Map(),
})

import type { Page } from 'playwright-core'

import AxeBuilder from '@axe-core/playwright'

/** The WCAG rule sets the scans apply (A and AA, 2.0 to 2.2). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export type AxeProblem = { help: string; id: string; impact: string; targets: string[] }

/**
 * Runs axe-core in the page on OUR components only (`selectors`: their root elements; Payload's own
 * markup around them is not ours to fix) and returns the serious and critical violations, each with
 * the elements at fault, so a test can `expect(problems).toEqual([])` and read what to fix.
 */
export const scanOurComponents = async (page: Page, selectors: string[]): Promise<AxeProblem[]> => {
  let builder = new AxeBuilder({ page }).withTags(TAGS)
  for (const selector of selectors) builder = builder.include(selector)
  const results = await builder.analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      help: violation.help,
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }))
}

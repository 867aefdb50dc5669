/**
 * What "Load demo data" (and `npm run seed`) creates besides customers and orders: a few segments
 * and one finished campaign with receipts, so every dashboard chart has something to show.
 */

/** The default demo size (the first-run example). */
export const DEMO_DEFAULTS = { customers: 100_000, orders: 300_000, seed: 1 } as const

/** Upper bounds a request may ask for (the job runs in the server process). */
export const DEMO_LIMITS = { customers: 1_000_000, orders: 3_000_000 } as const

export type DemoSegment = { description: string; dsl: string; name: string }

export const DEMO_SEGMENTS: readonly DemoSegment[] = [
  { description: 'Customers who spent more than ₹20,000 in total.', dsl: 'spend > 20000', name: 'Big spenders' },
  { description: 'No order for three months: worth a win-back message.', dsl: 'inactiveDays >= 90', name: 'Lapsed 90 days' },
  { description: 'Loyalty members in Mumbai.', dsl: 'city = "Mumbai" AND tags CONTAINS "loyalty-member"', name: 'Mumbai loyalty members' },
  { description: 'Frequent visitors who rarely buy.', dsl: 'visits >= 10 AND orders < 2', name: 'Window shoppers' },
]

/** The finished demo campaign: sent to `segment`, with receipts. */
export const DEMO_CAMPAIGN = {
  intent: 'Thank loyalty members in Mumbai with an early festive offer.',
  message: 'Hi {{firstName | "there"}}, your festive offer is ready: 15% off at our {{city | "nearest"}} store this week.',
  name: 'Festive offer for Mumbai loyalty members',
  segment: 'Mumbai loyalty members',
} as const

export type DemoOutcome = 'delivered' | 'failed' | 'sent'

/**
 * The vendor's answer for the n-th recipient of the demo campaign, deterministic: 3 % refused,
 * 5 % sent with no delivery receipt yet, the rest delivered.
 */
export const demoOutcomeOf = (n: number): DemoOutcome => {
  const slot = (n * 37) % 100
  return slot < 3 ? 'failed' : slot < 8 ? 'sent' : 'delivered'
}

/** The share of the whole load each step takes, for one progress bar (0–100). */
export const DEMO_PHASES = [
  { from: 0, label: 'customers', to: 30 },
  { from: 30, label: 'orders', to: 85 },
  { from: 85, label: 'aggregates', to: 90 },
  { from: 90, label: 'segments', to: 95 },
  { from: 95, label: 'campaign', to: 100 },
] as const

export type DemoPhase = (typeof DEMO_PHASES)[number]['label']

/** Overall percent for `done` of `total` within `phase`. */
export const demoPercent = ({ done, phase, total }: { done: number; phase: DemoPhase; total: number }): number => {
  const span = DEMO_PHASES.find((entry) => entry.label === phase)!
  const share = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total))
  return Math.round(span.from + (span.to - span.from) * share)
}

/** The step a percent falls in (the status endpoint names it). */
export const demoPhaseOf = (percent: number): DemoPhase =>
  (DEMO_PHASES.find((entry) => percent < entry.to) ?? DEMO_PHASES[DEMO_PHASES.length - 1]!).label

import type { CampaignFacts, CampaignStats } from './types.js'

/** Delivery and failure rates of one campaign, as fractions of its audience (0 when it had none). */
export const campaignRates = (stats: CampaignStats): { deliveryRate: number; failureRate: number } => ({
  deliveryRate: stats.audience > 0 ? stats.delivered / stats.audience : 0,
  failureRate: stats.audience > 0 ? stats.failed / stats.audience : 0,
})

const percent = (fraction: number): string => `${(Math.round(fraction * 1000) / 10).toFixed(1)}%`

const points = (delta: number): string => `${Math.abs(Math.round(delta * 1000) / 10).toFixed(1)} points`

/** A short summary composed from the numbers alone (the offline answer; also a model's ground truth). */
export const offlineCampaignSummary = (facts: CampaignFacts): string => {
  const { stats } = facts
  const { deliveryRate, failureRate } = campaignRates(stats)
  const lines: string[] = []
  lines.push(
    `"${facts.name}" (${facts.status}) reached ${stats.audience} customer${stats.audience === 1 ? '' : 's'}: ${stats.delivered} delivered (${percent(deliveryRate)}), ${stats.failed} failed (${percent(failureRate)})` +
      `${stats.pending > 0 ? `, ${stats.pending} still pending` : ''}${stats.skipped > 0 ? `, ${stats.skipped} skipped (opted out or erased)` : ''}.`,
  )
  if (facts.failureReasons.length > 0) {
    const top = facts.failureReasons.slice(0, 3).map(({ count, reason }) => `${reason} (${count})`)
    lines.push(`Failures by reason: ${top.join(', ')}${facts.failureReasons.length > 3 ? `, and ${facts.failureReasons.length - 3} more` : ''}.`)
  }
  if (facts.previous && facts.previous.campaigns > 0) {
    const delta = deliveryRate - facts.previous.averageDeliveryRate
    const trend = Math.abs(delta) < 0.005 ? 'in line with' : delta > 0 ? `${points(delta)} better than` : `${points(delta)} worse than`
    lines.push(
      `Delivery was ${trend} the average of the previous ${facts.previous.campaigns} campaign${facts.previous.campaigns === 1 ? '' : 's'} (${percent(facts.previous.averageDeliveryRate)} delivered, ${percent(facts.previous.averageFailureRate)} failed, ${Math.round(facts.previous.averageAudience)} recipients on average).`,
    )
  } else {
    lines.push('There are no earlier finished campaigns to compare with.')
  }
  if (failureRate >= 0.2) lines.push('The failure rate is high: check the top failure reason before the next send.')
  return lines.join(' ')
}

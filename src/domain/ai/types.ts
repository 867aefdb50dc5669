/** What a model may learn about an audience: its rules and aggregates, never a customer row. */
export type AudienceFacts = {
  averageOrders: null | number
  averageSpend: null | number
  averageVisits: null | number
  count: number
  currency: string
  /** The segment's rules as DSL text (field names and values chosen by the marketer). */
  dsl: string
}

/** A request for message variants. */
export type MessageBrief = {
  audience?: AudienceFacts
  campaignName?: string
  intent: string
  /** Longest variant, in characters. */
  maxLength: number
  tone?: string
}

/** A campaign's delivery figures (`campaigns.stats`). */
export type CampaignStats = {
  audience: number
  delivered: number
  failed: number
  pending: number
  sent: number
  skipped: number
}

/** Everything a campaign summary is written from: numbers and redacted failure reasons only. */
export type CampaignFacts = {
  failureReasons: { count: number; reason: string }[]
  intent?: string
  name: string
  /** Averages over earlier finished campaigns; null when there are none. */
  previous: null | { averageAudience: number; averageDeliveryRate: number; averageFailureRate: number; campaigns: number }
  stats: CampaignStats
  status: string
}

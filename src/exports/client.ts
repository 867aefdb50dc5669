/** `mini-crm/client`: the plugin's client components, referenced in the admin as `'mini-crm/client#Name'`. */
export { CrmNavLinks } from '../components/NavLinks/index.js'
export type { CrmNavLinksProps } from '../components/NavLinks/types.js'
export { CampaignSummaryField } from '../components/Ai/CampaignSummaryField.js'
export { DescribeAudienceField } from '../components/Ai/DescribeAudienceField.js'
export { SuggestMessagesField } from '../components/Ai/SuggestMessagesField.js'

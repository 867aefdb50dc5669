/** `mini-crm/client`: the plugin's client components, referenced in the admin as `'mini-crm/client#Name'`. */
export { CrmNavLinks } from '../components/NavLinks/index.js'
export type { CrmNavLinksProps } from '../components/NavLinks/types.js'
export { GoogleSignInButton } from '../components/GoogleSignIn/index.js'
export type { GoogleSignInButtonProps } from '../components/GoogleSignIn/types.js'
export { CreateCampaignCell, CreateCampaignField } from '../components/CreateCampaignLink/index.js'
export { SegmentRulesField } from '../components/SegmentRulesField/index.js'

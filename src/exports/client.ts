/** `mini-crm/client`: the plugin's client components, referenced in the admin as `'mini-crm/client#Name'`. */
export { CrmNavLinks } from '../components/NavLinks/index.js'
export type { CrmNavLinksProps } from '../components/NavLinks/types.js'

/** `mini-crm/rsc`: the plugin's React server components, referenced in the admin as `'mini-crm/rsc#Name'`. */
export { CrmDashboard } from '../components/Dashboard/index.js'
export type { CrmDashboardProps } from '../components/Dashboard/types.js'
export { SegmentMembersLink } from '../components/SegmentMembersLink/index.js'
export { CrmImportView } from '../components/ImportView/index.js'

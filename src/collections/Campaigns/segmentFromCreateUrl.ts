import type { PayloadRequest } from 'payload'

import { SLUGS } from '../slugs.js'

/**
 * Default of a campaign's `segment`: the `?segment=<id>` of the admin's create view
 * (`/admin/collections/campaigns/create?segment=7`), which the segments list and edit view link to.
 * Any other request (the REST and GraphQL APIs, the Local API) gets no default, so API callers are
 * unaffected.
 */
export const segmentFromCreateUrl = ({ req }: { req?: Partial<PayloadRequest> }): number | string | undefined => {
  const adminRoute = req?.payload?.config.routes.admin ?? '/admin'
  if (req?.pathname !== `${adminRoute}/collections/${SLUGS.campaigns}/create`) return undefined
  const wanted = req.searchParams?.get('segment') ?? ''
  if (/^[0-9]{1,15}$/.test(wanted)) return Number(wanted)
  if (/^[0-9a-f]{24}$/.test(wanted)) return wanted // MongoDB ObjectId
  return undefined
}

import type { CollectionSlug, PayloadRequest } from 'payload'

import { getFieldsToSign, jwtSign } from 'payload'
import { addSessionToUser, generatePayloadCookie } from 'payload/shared'

/**
 * Signs `userId` in exactly as Payload's own `POST /api/<slug>/login` does after a correct password:
 * a session added to the user (when the collection uses sessions), the same JWT fields
 * (`getFieldsToSign`, `saveToJWT` fields such as `roles`), the same secret and expiry, and the same
 * `<cookiePrefix>-token` cookie flags (`auth.cookies`). Returns the `Set-Cookie` value and the token.
 */
export const issuePayloadSession = async ({
  collectionSlug,
  req,
  userId,
}: {
  collectionSlug: string
  req: PayloadRequest
  userId: number | string
}): Promise<{ cookie: string; exp: number; token: string }> => {
  const { payload } = req
  const collectionConfig = payload.collections[collectionSlug as CollectionSlug].config
  const user = await payload.db.findOne<{ email?: unknown; id: number | string }>({ collection: collectionSlug as CollectionSlug, req, where: { id: { equals: userId } } })
  if (!user) throw new Error(`User ${String(userId)} disappeared while signing in`)
  const { sid } = await addSessionToUser({ collectionConfig, payload, req, user: user as never })
  const fieldsToSign = getFieldsToSign({ collectionConfig, email: String(user.email), sid, user: user as never })
  const { exp, token } = await jwtSign({ fieldsToSign, secret: payload.secret, tokenExpiration: collectionConfig.auth.tokenExpiration })
  const cookie = generatePayloadCookie({ collectionAuthConfig: collectionConfig.auth, cookiePrefix: payload.config.cookiePrefix, token }) as string
  return { cookie, exp, token }
}

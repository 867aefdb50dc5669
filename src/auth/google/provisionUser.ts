import type { CollectionSlug, PayloadRequest } from 'payload'

import { randomBytes } from 'node:crypto'
import { ValidationError } from 'payload'

import type { Role } from '../../access/roles.js'
import type { Admission } from '../../domain/auth/googleAdmission.js'

export type ProvisionResult = { created: boolean; id: number | string } | { created: false; id: null }

const findByEmail = async (req: PayloadRequest, slug: string, email: string): Promise<null | number | string> => {
  const found = await req.payload.find({
    collection: slug as CollectionSlug,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { email: { equals: email } },
  })
  return (found.docs[0]?.id as number | string | undefined) ?? null
}

/**
 * The user a Google identity signs in as: the existing user with that (lower-case) email, else — when
 * the admission allows it — a new one with `role` (the first user ever becomes admin through the
 * collection's first-user hook). A provisioned user gets a random 256-bit password that is never
 * stored or shown anywhere, so local login cannot be used with it until an admin or a password reset
 * sets one. Returns `id: null` when the person may only sign in as an existing user and is not one.
 */
export const findOrProvisionUser = async ({
  admission,
  name,
  req,
  role,
  slug,
}: {
  admission: Extract<Admission, { email: string }>
  name?: string
  req: PayloadRequest
  role: Role
  slug: string
}): Promise<ProvisionResult> => {
  const existing = await findByEmail(req, slug, admission.email)
  if (existing !== null) return { created: false, id: existing }
  if (admission.kind !== 'allowed') return { created: false, id: null }
  const create = () =>
    req.payload.create({
      collection: slug as CollectionSlug,
      data: { email: admission.email, name, password: randomBytes(32).toString('base64url'), roles: [role] } as never,
      overrideAccess: true,
      req,
    })
  try {
    const doc = await create()
    return { created: true, id: doc.id as number | string }
  } catch (err) {
    // Lost a race: the same person signing in twice at once (unique email), or another first user (unique marker).
    if (!(err instanceof ValidationError)) throw err
    const raced = await findByEmail(req, slug, admission.email)
    if (raced !== null) return { created: false, id: raced }
    const doc = await create()
    return { created: true, id: doc.id as number | string }
  }
}

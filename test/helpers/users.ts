import type { Payload } from 'payload'

import type { Role } from '../../src/access/roles.js'

export type TestUser = { email: string; id: number | string; password: string; token: string }

/** Creates a user with the given roles (bypassing access) and logs in to get a JWT. */
export const createUserWithRole = async (payload: Payload, role: Role): Promise<TestUser> => {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@crm.test`
  const password = `pw-${role}-123456`
  const user = await payload.create({ collection: 'users', data: { email, password, roles: [role] }, overrideAccess: true })
  const { token } = await payload.login({ collection: 'users', data: { email, password } })
  if (!token) throw new Error('login returned no token')
  return { email, id: user.id, password, token }
}

export const jsonHeaders = (token?: string): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `JWT ${token}` } : {}),
})

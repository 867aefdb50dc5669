import { ROLES } from '../access/roles.js'

// A user holding every CRM role: if even they may not write a field, nobody may through the API.
const PROBE_USER = { collection: 'users', email: 'openapi-probe@localhost', id: 0, roles: [...ROLES] }
const PROBE_ARGS = {
  blockData: undefined,
  data: {},
  doc: {},
  id: undefined,
  req: { context: {}, headers: new Headers(), query: {}, user: PROBE_USER },
  siblingData: {},
}

/**
 * Whether field-level access denies `operation` to everyone (derived fields such as
 * customers.totalSpend use `denyFieldWrite`). Access functions that need a real request throw or
 * return a promise; those count as "someone may", so the field stays documented as writable.
 */
export const isFieldAccessDenied = (field: object, operation: 'create' | 'read' | 'update'): boolean => {
  const accessConfig: unknown = 'access' in field ? field.access : undefined
  const access: unknown =
    typeof accessConfig === 'object' && accessConfig !== null ? (accessConfig as Record<string, unknown>)[operation] : undefined
  if (typeof access !== 'function') return false
  try {
    const result: unknown = access(PROBE_ARGS)
    if (result instanceof Promise) {
      result.catch(() => undefined)
      return false
    }
    return result === false
  } catch {
    return false
  }
}

import type { Endpoint } from 'payload'

import type { SanitizedCrmOptions } from '../../types.js'

// Placeholder until the OpenAPI generator lands (being written in parallel).
export const createOpenApiEndpoints = (_options: SanitizedCrmOptions): Endpoint[] => []

import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { withCrmBodyLimit } from '../../../../src/limits/withBodyLimit.js'

// Payload's GraphQL route reads its body before any plugin code runs: bound it here (limits.bodyBytes.json).
export const POST = withCrmBodyLimit({ config, handler: GRAPHQL_POST(config) })
export const OPTIONS = REST_OPTIONS(config)

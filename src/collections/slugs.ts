/** Re-exported from `src/constants.ts`, which both the collections and `src/bulk` import (no folder cycle). */
export { CAMPAIGN_STATUSES, IMPORT_STATUSES, LOG_STATUSES, NON_COUNTING_ORDER_STATUSES, ORDER_STATUSES, SLUGS } from '../constants.js'

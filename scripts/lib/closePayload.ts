/** Scripts and tests close Payload the way the server does (src/db/closePayload.ts). */
export { closePayload } from '../../src/db/closePayload.js'

import { buildCrmConfig } from './src/config/buildCrmConfig.js'
import { readEnv } from './src/env.js'

// Payload requires the config as a default export; everything else lives in src/.
export default buildCrmConfig({ env: readEnv() })

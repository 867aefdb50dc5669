/**
 * The server process for `bench/import.bench.ts` (argv[2] = the database URL): the real Express
 * server without the admin, on a free port; with a job worker only when argv[3] is `--jobs` (the
 * async and JSON ingest paths). Prints `url <url>` when ready;
 * stops on SIGTERM. A process of its own, so the benchmark reads the server's RSS alone.
 */
import os from 'node:os'

import { parseDatabaseUrl } from '../src/env.js'
import { createCrmServer } from '../src/server/createServer.js'
import { benchConfig, closeBenchPayload } from './lib/bootBenchPayload.js'

const url = process.argv[2] ?? ''
const server = await createCrmServer({
  config: benchConfig(url),
  database: parseDatabaseUrl({ dataDir: os.tmpdir(), url }),
  host: '127.0.0.1',
  jobs: process.argv[3] === '--jobs',
  port: 0,
  withAdmin: false,
})
process.stdout.write(`url ${server.url}\n`)
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => closeBenchPayload(server.payload))
    .finally(() => process.exit(0))
})

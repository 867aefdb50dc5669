import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { progress } from './lib/report.js'

/**
 * `npm run bench -- <name> [--db sqlite|postgres|all] [--scale f]` runs bench/<name>.bench.ts;
 * `npm run bench` alone runs every benchmark in turn.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort()

const [first, ...rest] = process.argv.slice(2)
const names = first && !first.startsWith('--') ? [first] : available
const args = first && !first.startsWith('--') ? rest : process.argv.slice(2)

for (const name of names) {
  if (!available.includes(name)) {
    progress(`unknown benchmark "${name}"; available: ${available.join(', ')}`)
    process.exit(2)
  }
  progress(`running ${name}`)
  const mod = (await import(`./${name}.bench.ts`)) as { run: (argv: string[]) => Promise<void> }
  await mod.run(args)
}
process.exit(0)

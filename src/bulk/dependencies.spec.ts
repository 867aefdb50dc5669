import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const bulkDir = path.join(root, 'src/bulk')

/** Every .ts/.tsx file under `dir` (recursively), skipping node_modules. */
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full)
    return /\.tsx?$/.test(entry.name) ? [full] : []
  })

/** The relative module specifiers a file imports or re-exports, resolved to absolute paths without extension. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) =>
    path.resolve(path.dirname(file), match[1]!).replace(/\.js$/, ''),
  )

describe('dependencies of the bulk layer', () => {
  it('should never import the collections from src/bulk', () => {
    const offenders = sourceFiles(bulkDir).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(path.join(root, 'src/collections')))
        .map((target) => `${path.relative(root, file)} → ${path.relative(root, target)}`),
    )
    expect(offenders).toEqual([])
  })

  it('should reach src/bulk from outside only through its index', () => {
    const outside = ['src', 'bench', 'scripts', 'test']
      .flatMap((dir) => sourceFiles(path.join(root, dir)))
      .filter((file) => !file.startsWith(bulkDir + path.sep))
    const offenders = outside.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(bulkDir + path.sep) && target !== path.join(bulkDir, 'index'))
        .map((target) => `${path.relative(root, file)} → ${path.relative(root, target)}`),
    )
    expect(offenders).toEqual([])
  })
})

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'

/** The only files served from `swagger-ui-dist`, with their content types. Anything else is a 404. */
export const SWAGGER_UI_ASSETS: Readonly<Record<string, string>> = {
  'favicon-32x32.png': 'image/png',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
}

const isAssetName = (name: string): boolean => Object.hasOwn(SWAGGER_UI_ASSETS, name)

const candidateDirs = (): string[] => {
  const dirs: string[] = []
  try {
    // Under Next's bundler `require.resolve` may yield a module id instead of a path; only a real path counts.
    const resolved: unknown = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')
    if (typeof resolved === 'string' && path.isAbsolute(resolved)) dirs.push(path.dirname(resolved))
  } catch {
    // fall through to the project's node_modules
  }
  dirs.push(path.join(process.cwd(), 'node_modules', 'swagger-ui-dist'))
  return dirs
}

let assetDir: string | undefined

/** Folder of the installed `swagger-ui-dist` package (no CDN: the docs page loads everything from us). */
export const resolveSwaggerUiDir = (): string => {
  assetDir ??= candidateDirs().find((dir) => existsSync(path.join(dir, 'swagger-ui-bundle.js')))
  if (!assetDir) throw new Error('swagger-ui-dist is not installed: cannot serve /api/docs assets')
  return assetDir
}

const cache = new Map<string, Uint8Array<ArrayBuffer>>()

/**
 * A whitelisted Swagger UI file and its content type, or `undefined` for any other name. The name is
 * looked up in the whitelist, never joined into a path as given, so `../` cannot escape the folder.
 */
export const readSwaggerUiAsset = async (name: string): Promise<undefined | { body: Uint8Array<ArrayBuffer>; contentType: string }> => {
  if (!isAssetName(name)) return undefined
  let body = cache.get(name)
  if (!body) {
    body = new Uint8Array(await readFile(path.join(resolveSwaggerUiDir(), name)))
    cache.set(name, body)
  }
  return { body, contentType: SWAGGER_UI_ASSETS[name]! }
}

import { readSwaggerUiAsset, resolveSwaggerUiDir, SWAGGER_UI_ASSETS } from './swaggerUiAssets.js'

describe('swaggerUiAssets', () => {
  it('should find the installed swagger-ui-dist package', () => {
    expect(resolveSwaggerUiDir()).toMatch(/swagger-ui-dist$/)
  })

  it('should serve every whitelisted file with its content type', async () => {
    for (const [name, contentType] of Object.entries(SWAGGER_UI_ASSETS)) {
      const asset = await readSwaggerUiAsset(name)
      expect(asset?.contentType).toBe(contentType)
      expect(asset?.body.byteLength).toBeGreaterThan(0)
    }
  })

  it('should refuse anything outside the whitelist, including path traversal', async () => {
    for (const name of ['package.json', 'index.html', '../package.json', '../../package.json', '..%2Fpackage.json', 'swagger-ui.js', 'toString']) {
      expect(await readSwaggerUiAsset(name)).toBeUndefined()
    }
  })
})

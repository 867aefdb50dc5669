import { DOCS_INIT_SCRIPT, renderDocsInitScript, renderDocsPage } from './docsPage.js'

describe('docsPage', () => {
  it('should reference only assets under the API route (no CDN, no inline script)', () => {
    const html = renderDocsPage({ apiRoute: '/api', title: 'Mini CRM' })
    expect(html).not.toMatch(/https?:\/\//)
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])
    expect(urls).toEqual([
      '/api/docs/swagger-ui.css',
      '/api/docs/favicon-32x32.png',
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui-standalone-preset.js',
      `/api/docs/${DOCS_INIT_SCRIPT}`,
    ])
    expect(html).not.toMatch(/<script>/)
  })

  it('should escape the title', () => {
    expect(renderDocsPage({ apiRoute: '/api', title: '<b>CRM</b>' })).toContain('&lt;b&gt;CRM&lt;/b&gt; · API docs')
  })

  it('should point the init script at the OpenAPI document', () => {
    const script = renderDocsInitScript({ specUrl: '/api/openapi.json' })
    expect(script).toContain('url: "/api/openapi.json"')
    expect(renderDocsInitScript({ specUrl: '</script>' })).not.toContain('</script>')
  })
})

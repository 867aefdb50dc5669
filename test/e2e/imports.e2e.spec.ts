import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { scanOurComponents } from '../helpers/axe.js'
import { apiJson, type CrmServer, launchChromium, signInThroughForm, startCrmServer } from '../helpers/e2eServer.js'

/**
 * The import view in the admin, for real: `npm start` on a fresh SQLite, driven in Debian's
 * Chromium. A file with bad rows is uploaded in the view; the progress reaches done, the summary and
 * the history show it, and the rejected rows download as CSV with a reason column. Screenshots go
 * to `test-artifacts/imports/` (gitignored).
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const SHOTS = path.join(root, 'test-artifacts', 'imports')

const ADMIN = { email: 'owner@example.com', password: 'owner-123456' }
const VIEWER = { email: 'viewer@example.com', password: 'viewer-123456' }
const ROWS = 400
const BAD = new Map<number, string>([
  [3, 'not-an-email,Bad Email,Pune,1'],
  [150, 'b150@shop.test,Bad Visits,Pune,many'],
  [399, ',No Email,Delhi,2'],
])
const CSV = ['email,name,city,visits', ...Array.from({ length: ROWS }, (_, i) => BAD.get(i + 1) ?? `c${i + 1}@shop.test,Customer ${i + 1},${i % 2 ? 'Pune' : 'Delhi'},${i % 7}`)].join('\n')

describe('import view (admin)', () => {
  let server: CrmServer
  let url: string
  let browser: Browser
  let page: Page

  const api = <T>(route: string, init: RequestInit & { token?: string } = {}) => apiJson<T>(url, route, init)
  const signIn = (target: Page, user: { email: string; password: string }) => signInThroughForm(target, url, user)
  const shot = (target: Page, name: string) => target.screenshot({ fullPage: true, path: path.join(SHOTS, name) })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    server = await startCrmServer({ env: { CRM_IMPORT_BATCH_ROWS: '50' }, prefix: 'crm-imports-e2e-' })
    url = server.url
    await api('/api/users/first-register', { body: JSON.stringify(ADMIN), method: 'POST' })
    const { token } = await api<{ token: string }>('/api/users/login', { body: JSON.stringify(ADMIN), method: 'POST' })
    await api('/api/users', { body: JSON.stringify({ ...VIEWER, roles: ['viewer'] }), method: 'POST', token })
    browser = await launchChromium()
    page = await (await browser.newContext({ acceptDownloads: true, viewport: { height: 1000, width: 1400 } })).newPage()
    await signIn(page, ADMIN)
  }, 16 * 60_000)

  afterAll(async () => {
    await browser?.close()
    server?.stop()
  })

  it('should upload a file with bad rows, show the progress reach done, list it in the history and download the rejected rows', async () => {
    const link = page.locator('[data-testid="crm-nav-import"]')
    // Payload keeps its nav closed (inert) on narrower windows: open it the way a user does.
    if (await link.evaluate((el) => el.closest('[inert]') !== null)) await page.locator('.nav-toggler').first().click()
    expect(await scanOurComponents(page, ['[data-testid="crm-nav-links"]'])).toEqual([])
    await link.click()
    await page.waitForURL(/\/admin\/import$/, { timeout: 30_000 })
    await page.locator('[data-testid="crm-import-history"]').getByText('No imports yet.').waitFor()
    await page.selectOption('[data-testid="crm-import-kind"]', 'customers')
    await page.setInputFiles('[data-testid="crm-import-file"]', { buffer: Buffer.from(CSV), mimeType: 'text/csv', name: 'shop-customers.csv' })
    await page.click('[data-testid="crm-import-start"]')
    const current = page.locator('[data-testid="crm-import-current"][data-status="done"]')
    await current.waitFor({ timeout: 60_000 })
    expect(await page.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100')
    expect(await page.locator('[data-testid="crm-import-progress"]').textContent()).toMatch(new RegExp(`^done: ${ROWS} of ${ROWS} rows, [\\d,]+ rows/s$`))
    const summary = page.locator('[data-testid="crm-import-summary"]')
    expect(await summary.textContent()).toContain(`${ROWS - BAD.size} created, 0 updated (0 unchanged), ${BAD.size} rejected`)
    expect(await page.locator('[data-testid="crm-import-errors"] li').allTextContents()).toEqual([
      expect.stringMatching(/^Row 3 \(email\): /),
      expect.stringMatching(/^Row 150 \(visits\): /),
      expect.stringMatching(/^Row 399 \(email\): /),
    ])
    const historyRow = page.locator('[data-testid="crm-import-history"] tbody tr').first()
    await historyRow.locator('td', { hasText: 'shop-customers.csv' }).waitFor()
    expect(await historyRow.getAttribute('data-status')).toBe('done')
    expect(await historyRow.locator('td').nth(5).textContent()).toBe(ADMIN.email)
    await shot(page, '01-import-done.png')
    expect(await scanOurComponents(page, ['[data-testid="crm-import"]'])).toEqual([])

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="crm-import-rejected"]')])
    expect(download.suggestedFilename()).toBe('shop-customers-rejected.csv')
    const rejected = parse(readFileSync((await download.path())!, 'utf8')) as string[][]
    expect(rejected[0]).toEqual(['email', 'name', 'city', 'visits', 'reason'])
    expect(rejected.slice(1).map((row) => row.slice(0, 4).join(','))).toEqual([...BAD.values()])
    expect(rejected.slice(1).every((row) => row[4]!.length > 0)).toBe(true)
  })

  it('should offer an Export CSV button on the customers list', async () => {
    await page.goto(`${url}/admin/collections/customers`, { waitUntil: 'networkidle' })
    const button = page.locator('[data-testid="crm-export-customers"]')
    await button.waitFor()
    expect(await button.getAttribute('href')).toBe('/api/customers/export')
    expect(await scanOurComponents(page, ['[data-testid="crm-export-bar-customers"]'])).toEqual([])
    // Keyboard: the link takes focus and Enter downloads.
    await button.focus()
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
    const rows = parse(readFileSync((await download.path())!, 'utf8')) as string[][]
    expect(rows.length).toBe(1 + ROWS - BAD.size)
    // The orders list has the same button.
    await page.goto(`${url}/admin/collections/orders`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="crm-export-orders"]').waitFor()
    expect(await page.locator('[data-testid="crm-export-orders"]').getAttribute('href')).toBe('/api/orders/export')
    expect(await scanOurComponents(page, ['[data-testid="crm-export-bar-orders"]'])).toEqual([])
  })

  it('should show viewers the history without the upload, and send anonymous browsers to the login', async () => {
    const viewerPage = await (await browser.newContext()).newPage()
    await signIn(viewerPage, VIEWER)
    await viewerPage.goto(`${url}/admin/import`, { waitUntil: 'networkidle' })
    await viewerPage.locator('[data-testid="crm-import-history"] tbody tr td', { hasText: 'shop-customers.csv' }).waitFor()
    expect(await viewerPage.locator('[data-testid="crm-import-file"]').count()).toBe(0)
    const anonymous = await (await browser.newContext()).newPage()
    await anonymous.goto(`${url}/admin/import`, { waitUntil: 'networkidle' })
    // The admin redirects in the browser: on a slow machine the network can go idle first.
    await anonymous.waitForURL(/\/admin\/login/, { timeout: 15_000 })
    expect(anonymous.url()).toMatch(/\/admin\/login/)
  })
})

import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'

import { DEMO_CAMPAIGN, DEMO_DEFAULTS, DEMO_SEGMENTS } from '../../src/domain/seed/demoCatalogue.js'
import { scanOurComponents } from '../helpers/axe.js'
import { apiJson, type CrmServer, launchChromium, signInThroughForm, startCrmServer } from '../helpers/e2eServer.js'

/**
 * The first five minutes, for real: `npm start` on a fresh SQLite, a newcomer creates the first user
 * in Chromium, finds the empty dashboard, loads the demo data (100,000 customers, 300,000 orders)
 * through the button and its progress bar, and sees the charts; then campaign history newest first,
 * a viewer who can change nothing, the jobs dashboard, and accessibility scans (axe) of our own
 * components. Figures on screen are checked against `GET /api/dashboard` formatted the en-IN way.
 * Journeys other browser tests already cover (Google sign-in, the segment builder's editing, AI
 * suggestions) are not repeated. Screenshots: `test-artifacts/journeys/`; with
 * `CRM_UPDATE_SCREENSHOTS=1` the README's in `docs/screenshots/` are rewritten.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const SHOTS = path.join(root, 'test-artifacts', 'journeys')
/** The README's pictures are rewritten only on request (`CRM_UPDATE_SCREENSHOTS=1`), so a test run leaves the tree clean. */
const README_SHOTS = process.env.CRM_UPDATE_SCREENSHOTS === '1' ? path.join(root, 'docs', 'screenshots') : SHOTS

const ADMIN = { email: 'founder@example.com', password: 'founder-123456' }
const VIEWER = { email: 'analyst@example.com', password: 'analyst-123456' }
const LOCALE = 'en-IN'

type Dashboard = {
  campaigns: { deliveryRate: null | number; name: string }[]
  counts: { campaigns: number; segments: number }
  totals: { customers: number; orders: number; revenue: number }
}

describe('browser journeys', () => {
  let server: CrmServer
  let url: string
  let browser: Browser
  let adminPage: Page
  let adminTokenValue: string | undefined
  /** The first user's token (created in the first journey; later journeys sign in through the API). */
  const adminToken = async () => (adminTokenValue ??= await tokenOf(ADMIN))
  const timings: Record<string, number> = {}

  const api = <T>(route: string, init: RequestInit & { token?: string } = {}) => apiJson<T>(url, route, init)
  const tokenOf = async (user: { email: string; password: string }) =>
    (await api<{ token: string }>('/api/users/login', { body: JSON.stringify(user), method: 'POST' })).token
  const newPage = async () => (await browser.newContext({ locale: LOCALE, viewport: { height: 1000, width: 1400 } })).newPage()
  const signIn = (page: Page, user: { email: string; password: string }) => signInThroughForm(page, url, user, '[data-testid="crm-dashboard"]')
  const shot = (page: Page, name: string) => page.screenshot({ fullPage: true, path: path.join(SHOTS, name) })
  const count = (n: number) => new Intl.NumberFormat(LOCALE).format(n)
  const money = (n: number) => new Intl.NumberFormat(LOCALE, { currency: 'INR', maximumFractionDigits: 0, style: 'currency' }).format(n)
  const cardValue = async (page: Page, key: string) => (await page.locator(`[data-testid="crm-count-${key}"] .crm-dashboard__count`).textContent())?.trim()

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(README_SHOTS, { recursive: true })
    server = await startCrmServer({ prefix: 'crm-journeys-' })
    url = server.url
    browser = await launchChromium()
    adminPage = await newPage()
  }, 16 * 60_000)

  afterAll(async () => {
    writeFileSync(path.join(SHOTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`)
    await browser?.close()
    server?.stop()
  })

  it('should take a newcomer from the first user to a filled dashboard through "Load demo data"', async () => {
    const page = adminPage
    await page.goto(`${url}/admin`, { waitUntil: 'networkidle' })
    await page.waitForURL(/create-first-user/, { timeout: 60_000 })
    await page.fill('input[name="email"]', ADMIN.email)
    await page.fill('input[name="password"]', ADMIN.password)
    await page.fill('input[name="confirm-password"]', ADMIN.password)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="crm-empty-state"]', { timeout: 60_000 })
    expect(await cardValue(page, 'customers')).toBe('0')
    expect(await page.locator('[data-testid="crm-charts"]').count()).toBe(0)
    const button = page.locator('[data-testid="crm-load-demo"]')
    await expect(button.isEnabled()).resolves.toBe(true)
    await shot(page, '01-empty-dashboard.png')
    expect(await scanOurComponents(page, ['[data-testid="crm-dashboard"]'])).toEqual([])

    const started = Date.now()
    await button.click()
    const bar = page.locator('[data-testid="crm-demo-progress"] [role="progressbar"]')
    await bar.waitFor({ timeout: 30_000 })
    // The bar moves: read it until the load ends (the charts replace it).
    const seen = new Set<number>()
    const charts = page.locator('[data-testid="crm-charts"]')
    while ((await charts.count()) === 0) {
      if (Date.now() - started > 20 * 60_000) throw new Error(`the demo load did not finish; last status ${JSON.stringify(await api('/api/demo-data/status', { token: await adminToken() }))}`)
      const value = await bar.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null)
      if (value !== null) seen.add(Number(value))
      if (seen.size === 2 && !timings.firstProgressShotTaken) {
        timings.firstProgressShotTaken = 1
        await shot(page, '02-loading-demo-data.png')
      }
      await page.waitForTimeout(300)
    }
    timings.demoLoadSeconds = Math.round((Date.now() - started) / 100) / 10
    expect([...seen].some((v) => v > 0 && v < 100)).toBe(true)
    expect(await page.locator('[data-testid="crm-demo-error"]').count()).toBe(0)

    const figures = await api<Dashboard>('/api/dashboard', { token: await adminToken() })
    expect(figures.totals.customers).toBe(DEMO_DEFAULTS.customers)
    expect(figures.totals.orders).toBe(DEMO_DEFAULTS.orders)
    expect(await cardValue(page, 'customers')).toBe(count(figures.totals.customers))
    expect(await cardValue(page, 'customers')).toBe('1,00,000') // the Indian grouping, not 100,000
    expect(await cardValue(page, 'orders')).toBe(count(figures.totals.orders))
    expect(await cardValue(page, 'revenue')).toBe(money(figures.totals.revenue))
    expect(await cardValue(page, 'revenue')).toMatch(/^₹/)
    expect(await cardValue(page, 'segments')).toBe(count(DEMO_SEGMENTS.length))
    for (const id of ['crm-chart-months', 'crm-chart-cities', 'crm-chart-segments', 'crm-chart-campaigns']) {
      await page.locator(`[data-testid="${id}"] svg.recharts-surface`).first().waitFor({ timeout: 30_000 })
    }
    // Twelve monthly bars' labels, a bar per segment, and the campaign with its delivery rate.
    expect(await page.locator('[data-testid="crm-chart-months"] .recharts-xAxis .recharts-cartesian-axis-tick').count()).toBe(12)
    const row = page.locator('[data-testid="crm-campaign-row"]').first()
    expect(await row.locator('th').textContent()).toBe(DEMO_CAMPAIGN.name)
    const rate = figures.campaigns[0]!.deliveryRate!
    expect(await row.locator('td').last().textContent()).toBe(new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1, style: 'percent' }).format(rate))
    for (const segment of DEMO_SEGMENTS) await page.locator(`[data-testid="crm-chart-segments"] a`, { hasText: segment.name }).first().waitFor()

    expect(await scanOurComponents(page, ['[data-testid="crm-dashboard"]'])).toEqual([])
    await page.mouse.move(0, 0) // no tooltip in the picture
    await page.waitForTimeout(800) // chart animations settle before the picture
    await page.locator('[data-testid="crm-dashboard"]').screenshot({ path: path.join(README_SHOTS, 'dashboard.png') })
    await shot(page, '03-filled-dashboard.png')
  })

  it('should list campaign history newest first, in the admin list and on the dashboard', async () => {
    for (const name of ['Journey: monsoon sale', 'Journey: new arrivals']) {
      await api('/api/campaigns', { body: JSON.stringify({ message: 'Hi {{firstName | "there"}}!', name }), method: 'POST', token: await adminToken() })
      await new Promise((resolve) => setTimeout(resolve, 1100)) // distinct createdAt seconds
    }
    const expected = ['Journey: new arrivals', 'Journey: monsoon sale', DEMO_CAMPAIGN.name]
    const page = adminPage
    await page.goto(`${url}/admin/collections/campaigns`, { waitUntil: 'networkidle' })
    await page.locator('.table tbody tr').first().waitFor({ timeout: 30_000 })
    const names = (await page.locator('.table tbody tr .cell-name').allTextContents()).map((text) => text.trim())
    expect(names.slice(0, 3)).toEqual(expected)
    await shot(page, '04-campaign-history.png')
    await page.goto(`${url}/admin`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="crm-campaign-row"]').first().waitFor({ timeout: 30_000 })
    expect((await page.locator('[data-testid="crm-campaign-row"] th').allTextContents()).slice(0, 3)).toEqual(expected)
  })

  it('should show a viewer the figures but let them change nothing', async () => {
    await api('/api/users', { body: JSON.stringify({ ...VIEWER, roles: ['viewer'] }), method: 'POST', token: await adminToken() })
    const page = await newPage()
    await signIn(page, VIEWER)
    await page.locator('[data-testid="crm-charts"]').waitFor({ timeout: 30_000 })
    expect(await cardValue(page, 'customers')).toBe('1,00,000')
    expect(await page.locator('[data-testid="crm-load-demo"]').count()).toBe(0)
    expect(await page.locator('[data-testid="crm-chart-segments"] figcaption a').textContent()).toBe('All segments')
    expect(await page.locator('[data-testid="crm-chart-campaigns"] figcaption a').textContent()).toBe('All campaigns')
    expect(await scanOurComponents(page, ['[data-testid="crm-dashboard"]'])).toEqual([])

    await page.goto(`${url}/admin/collections/customers`, { waitUntil: 'networkidle' })
    await page.locator('.table tbody tr').first().waitFor({ timeout: 30_000 })
    expect(await page.locator('a[href$="/admin/collections/customers/create"]').count()).toBe(0)
    await page.locator('.table tbody tr .cell-email a').first().click()
    await page.waitForURL(/\/admin\/collections\/customers\/\d+/, { timeout: 30_000 })
    await page.locator('#field-email').waitFor({ timeout: 30_000 })
    expect(await page.locator('#field-email').isEditable()).toBe(false)
    expect(await page.locator('#action-save').count()).toBe(0)
    await shot(page, '05-viewer-customer.png')

    // Writes through the API are refused too, and the jobs dashboard is for admins.
    const viewerToken = await tokenOf(VIEWER)
    const write = await fetch(`${url}/api/customers`, { body: JSON.stringify({ email: 'x@example.com' }), headers: { authorization: `JWT ${viewerToken}`, 'content-type': 'application/json' }, method: 'POST' })
    expect(write.status).toBe(403)
    const jobs = await page.goto(`${url}/admin/jobs/`)
    expect(jobs?.status()).toBe(403)
    await page.context().close()
  })

  it('should show the demo load, finished, in the jobs dashboard', async () => {
    const page = adminPage
    await page.goto(`${url}/admin/jobs/`, { waitUntil: 'networkidle' })
    await page.getByText('crm.loadDemoData').first().waitFor({ timeout: 30_000 })
    await shot(page, '06-jobs-dashboard.png')
  })

  it('should pass an accessibility scan of the segment rule builder, filled and empty', async () => {
    const page = adminPage
    const segments = await api<{ docs: { audienceCount: number; id: number; name: string }[] }>(`/api/segments?where[name][equals]=${encodeURIComponent(DEMO_CAMPAIGN.segment)}`, { token: await adminToken() })
    await page.goto(`${url}/admin/collections/segments/${segments.docs[0]!.id}`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="segment-audience-count"]').waitFor({ timeout: 60_000 })
    // The live count and the sample in the user's locale and the store's currency.
    expect(await page.locator('[data-testid="segment-audience-count"]').textContent()).toBe(count(segments.docs[0]!.audienceCount))
    const spend = await page.locator('[data-testid="segment-sample"] tbody tr td.crm-preview-number').nth(1).textContent()
    expect(spend).toMatch(/^₹[\d,]+$/)
    const ours = ['[data-testid="segment-builder"]', '[data-testid="segment-preview"]']
    expect(await scanOurComponents(page, ours)).toEqual([])
    await page.locator('[data-testid="segment-builder"]').screenshot({ path: path.join(README_SHOTS, 'segment-builder.png') })
    await shot(page, '07-segment-builder.png')

    await page.goto(`${url}/admin/collections/segments/create`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="segment-empty"]').waitFor({ timeout: 30_000 })
    const rootGroup = page.locator('[data-path="[]"]').first()
    await rootGroup.locator('.ruleGroup-header .ruleGroup-addRule').first().click()
    await rootGroup.locator('.ruleGroup-header .ruleGroup-addGroup').first().click()
    await page.locator('[data-path="[1]"] .ruleGroup-header .ruleGroup-addRule').first().click()
    expect(await scanOurComponents(page, ['[data-testid="segment-builder"]'])).toEqual([])
    // Keyboard: Tab from the first field selector reaches its operator, then its value.
    await page.locator('[data-path="[0]"] .rule-fields').focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.className ?? '')).toMatch(/rule-operators/)
  })
})

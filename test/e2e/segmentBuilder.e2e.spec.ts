import type { Browser, Locator, Page } from 'playwright-core'

import { mkdirSync } from 'node:fs'
import path from 'node:path'

import { scanOurComponents } from '../helpers/axe.js'
import { apiJson, type CrmServer, launchChromium, signInThroughForm, startCrmServer } from '../helpers/e2eServer.js'

/**
 * The segment rule builder in the admin, for real: `npm start` on a fresh SQLite with customers
 * imported through the CSV endpoint, driven in Debian's Chromium. The expected audiences are
 * computed here from the seed rows, never read back from the builder. Screenshots go to
 * `test-artifacts/segment-builder/` (gitignored).
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const SHOTS = path.join(root, 'test-artifacts', 'segment-builder')

type SeedCustomer = { city: string; email: string; name: string; plan: string; tags: string[]; visits: number }

const CITIES = ['Pune', 'Delhi', 'Mumbai', 'Kochi']
const SEED: SeedCustomer[] = Array.from({ length: 48 }, (_, i) => ({
  city: CITIES[i % CITIES.length]!,
  email: `shopper${i}@example.com`,
  name: `Shopper ${i}`,
  plan: i % 3 === 0 ? 'gold' : 'silver', // an extra CSV column: attributes.plan
  tags: [...(i % 5 === 0 ? ['vip'] : []), ...(i % 2 === 0 ? ['new'] : [])],
  visits: (i * 7) % 13,
}))

/** visits >= 5 AND NOT (city = "Pune" OR tags CONTAINS "vip") — the rule the first test builds by hand. */
const NESTED_EXPECTED = SEED.filter((c) => c.visits >= 5 && !(c.city === 'Pune' || c.tags.includes('vip'))).length
const NESTED_DSL = 'visits >= 5 AND NOT (city = "Pune" OR tags CONTAINS "vip")'
/** city IN ("Delhi", "Kochi") AND visits < 3 — typed as text. */
const TYPED_DSL = 'city IN ("Delhi", "Kochi") AND visits < 3'
const TYPED_EXPECTED = SEED.filter((c) => (c.city === 'Delhi' || c.city === 'Kochi') && c.visits < 3).length

const ADMIN = { email: 'owner@example.com', password: 'owner-123456' }
const VIEWER = { email: 'viewer@example.com', password: 'viewer-123456' }

describe('segment rule builder (admin)', () => {
  let server: CrmServer
  let url: string
  let browser: Browser
  let adminPage: Page
  let segmentId: number | string
  let adminToken: string

  const api = <T>(route: string, init: RequestInit & { token?: string } = {}) => apiJson<T>(url, route, init)

  const signIn = (page: Page, user: { email: string; password: string }) => signInThroughForm(page, url, user)

  /** Waits until `read()` deep-equals `expected` (the UI is debounced), then asserts it. */
  const eventually = async <T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs
    let value = await read()
    while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      value = await read()
    }
    expect(value).toEqual(expected)
  }

  const shot = (page: Page, name: string) => page.screenshot({ fullPage: true, path: path.join(SHOTS, name) })
  const at = (page: Page, rulePath: number[]): Locator => page.locator(`[data-path="${JSON.stringify(rulePath)}"]`).first()
  const countShows = (page: Page, count: number) =>
    page.locator('[data-testid="segment-audience-count"]').filter({ hasText: new RegExp(`^${count}$`) }).waitFor({ timeout: 30_000 })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    server = await startCrmServer({ prefix: 'crm-segment-builder-' })
    url = server.url

    await api('/api/users/first-register', { body: JSON.stringify(ADMIN), method: 'POST' })
    const { token } = await api<{ token: string }>('/api/users/login', { body: JSON.stringify(ADMIN), method: 'POST' })
    adminToken = token
    await api('/api/users', { body: JSON.stringify({ ...VIEWER, roles: ['viewer'] }), method: 'POST', token })
    const csv = ['email,name,city,tags,visits,plan', ...SEED.map((c) => `${c.email},${c.name},${c.city},${c.tags.join(';')},${c.visits},${c.plan}`)].join('\n')
    const imported = await api<{ created: number }>('/api/customers/import', { body: csv, headers: { 'content-type': 'text/csv' }, method: 'POST', token })
    expect(imported.created).toBe(SEED.length)

    browser = await launchChromium()
    adminPage = await (await browser.newContext({ viewport: { height: 1000, width: 1400 } })).newPage()
    await signIn(adminPage, ADMIN)
  }, 16 * 60_000)

  afterAll(async () => {
    await browser?.close()
    server?.stop()
  })

  it('should build a nested rule with a NOT group, show its DSL and count it live, then save and reopen it', async () => {
    // Sanity of the fixture: the rule selects some customers but not all.
    expect(NESTED_EXPECTED).toBeGreaterThan(0)
    expect(NESTED_EXPECTED).toBeLessThan(SEED.length)
    const page = adminPage
    await page.goto(`${url}/admin/collections/segments/create`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="segment-empty"]').waitFor()
    await page.fill('#field-name', 'Engaged, not Pune, not VIP')

    const rootGroup = at(page, [])
    await rootGroup.locator('.ruleGroup-header .ruleGroup-addRule').first().click()
    await at(page, [0]).locator('.rule-fields').selectOption('visits')
    await at(page, [0]).locator('.rule-operators').selectOption('>=')
    await at(page, [0]).locator('.rule-value').fill('5')

    await rootGroup.locator('.ruleGroup-header .ruleGroup-addGroup').first().click()
    const inner = at(page, [1])
    await inner.locator('.ruleGroup-header .ruleGroup-notToggle input').first().check()
    await inner.locator('.ruleGroup-header .ruleGroup-combinators').first().selectOption('or')
    await at(page, [1, 0]).locator('.rule-fields').selectOption('city')
    await at(page, [1, 0]).locator('.rule-operators').selectOption('=')
    // The city picker suggests the stored cities (GET /api/segments/values).
    await eventually(() => at(page, [1, 0]).locator('datalist option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), ['Delhi', 'Kochi', 'Mumbai', 'Pune'])
    await at(page, [1, 0]).locator('input.crm-suggest-input').fill('Pune')
    await inner.locator('.ruleGroup-header .ruleGroup-addRule').first().click()
    await at(page, [1, 1]).locator('.rule-fields').selectOption('tags')
    await at(page, [1, 1]).locator('.rule-operators').selectOption('contains')
    await at(page, [1, 1]).locator('input.crm-suggest-input').fill('vip')

    await eventually(() => page.locator('[data-testid="segment-dsl"]').inputValue(), NESTED_DSL)
    await countShows(page, NESTED_EXPECTED)
    expect(await page.locator('[data-testid="segment-sample"] tbody tr').count()).toBe(Math.min(10, NESTED_EXPECTED))
    await shot(page, '01-built-nested-rule.png')

    await page.click('#action-save')
    await page.waitForURL(/\/admin\/collections\/segments\/\d+/, { timeout: 30_000 })
    segmentId = page.url().match(/segments\/(\d+)/)![1]!
    const saved = await api<{ audienceCount: number; dsl: string }>(`/api/segments/${segmentId}`, { token: adminToken })
    expect(saved).toMatchObject({ audienceCount: NESTED_EXPECTED, dsl: NESTED_DSL })

    await page.reload({ waitUntil: 'networkidle' })
    await eventually(() => page.locator('[data-testid="segment-dsl"]').inputValue(), NESTED_DSL)
    expect(await at(page, [1]).locator('.ruleGroup-header .ruleGroup-notToggle input').first().isChecked()).toBe(true)
    expect(await at(page, [1, 0]).locator('.rule-fields').inputValue()).toBe('city')
    expect(await at(page, [1, 1]).locator('input.crm-suggest-input').inputValue()).toBe('vip')
    await countShows(page, NESTED_EXPECTED)
    await shot(page, '02-reopened.png')
    // The sidebar's links (members, create campaign): named links, no serious/critical axe findings.
    await page.locator('[data-testid="segment-members-link"]').waitFor()
    // Rules inside Payload's `where` subset open the list; these (a NOT group) offer the CSV instead.
    expect(await page.locator('[data-testid="segment-members-link"]').getByRole('link', { name: /^(Open [\d,]+ members|Download [\d,]+ members as CSV)$/ }).count()).toBe(1)
    expect(await page.getByRole('link', { name: 'Create campaign for this segment' }).count()).toBe(1)
    expect(await scanOurComponents(page, ['[data-testid="segment-members-link"]', '[data-testid="segment-create-campaign-field"]'])).toEqual([])
  })

  it('should show a DSL typo at its position, keep the text, and leave the builder alone', async () => {
    const page = adminPage
    const typo = 'visits >= 5 AN city = "Pune"'
    await page.locator('[data-testid="segment-dsl"]').fill(typo)
    const error = page.locator('[data-testid="segment-dsl-error"]')
    await error.waitFor({ timeout: 10_000 })
    expect(await error.textContent()).toMatch(/position 12\b.*"AN"/)
    expect(await error.textContent()).toMatch(/column 13/)
    expect(await page.locator('[data-testid="segment-dsl"]').inputValue()).toBe(typo)
    expect(await at(page, [1, 0]).locator('.rule-fields').inputValue()).toBe('city')
    await shot(page, '03-dsl-typo.png')
  })

  it('should re-parse typed DSL into the builder and recount', async () => {
    expect(TYPED_EXPECTED).toBeGreaterThan(0)
    const page = adminPage
    await page.locator('[data-testid="segment-dsl"]').fill(TYPED_DSL)
    await eventually(() => at(page, [0]).locator('.rule-fields').inputValue(), 'city')
    expect(await at(page, [0]).locator('.rule-operators').inputValue()).toBe('in')
    expect(await at(page, [0]).locator('.crm-chip').allTextContents()).toEqual(['Delhi×', 'Kochi×'])
    expect(await at(page, [1]).locator('.rule-fields').inputValue()).toBe('visits')
    expect(await at(page, [1]).locator('.rule-operators').inputValue()).toBe('<')
    expect(await at(page, [1]).locator('.rule-value').inputValue()).toBe('3')
    expect(await page.locator('[data-testid="segment-dsl-error"]').count()).toBe(0)
    await countShows(page, TYPED_EXPECTED)
    await shot(page, '04-typed-dsl.png')
  })

  it('should show a validation message next to the rule that caused it', async () => {
    const page = adminPage
    await at(page, [1]).locator('.rule-value').fill('')
    const issue = at(page, [1]).locator('xpath=following-sibling::*[1]')
    await eventually(() => issue.getAttribute('data-testid'), 'segment-rule-issue')
    expect(await issue.textContent()).toMatch(/number/i)
    await shot(page, '05-rule-issue.png')
  })

  it('should follow the form when the saved (canonical) rules come back after a save', async () => {
    const page = adminPage
    page.once('dialog', (dialog) => void dialog.accept()) // dropping the unsaved edits above
    await page.reload({ waitUntil: 'networkidle' })
    await eventually(() => page.locator('[data-testid="segment-dsl"]').inputValue(), NESTED_DSL)
    // A new AND group inside the AND root: canonically, its rule belongs to the root itself.
    await at(page, []).locator('.ruleGroup-header .ruleGroup-addGroup').first().click()
    await at(page, [2, 0]).locator('.rule-fields').selectOption('visits')
    await at(page, [2, 0]).locator('.rule-operators').selectOption('<=')
    await at(page, [2, 0]).locator('.rule-value').fill('11')
    const expected = SEED.filter((c) => c.visits >= 5 && c.visits <= 11 && !(c.city === 'Pune' || c.tags.includes('vip'))).length
    await countShows(page, expected)
    await page.click('#action-save')
    // The form gets the stored canonical rules back: the builder shows the rule directly in the root.
    await eventually(() => at(page, [2]).evaluate((el) => el.classList.contains('rule')), true, 30_000)
    expect(await at(page, [2]).locator('.rule-operators').inputValue()).toBe('<=')
    expect(await page.locator('[data-testid="segment-dsl"]').inputValue()).toBe(`${NESTED_DSL} AND visits <= 11`)
    expect((await api<{ audienceCount: number }>(`/api/segments/${segmentId}`, { token: adminToken })).audienceCount).toBe(expected)
    // Back to the rule the other tests expect.
    await at(page, [2]).locator('.rule-remove').click()
    await countShows(page, NESTED_EXPECTED)
    await page.click('#action-save')
    await eventually(async () => (await api<{ audienceCount: number }>(`/api/segments/${segmentId}`, { token: adminToken })).audienceCount, NESTED_EXPECTED, 30_000)
  })

  it('should list each segment with its count and open a new campaign with the segment chosen', async () => {
    const page = adminPage
    page.once('dialog', (dialog) => void dialog.accept()) // leaving unsaved edits
    await page.goto(`${url}/admin/collections/segments`, { waitUntil: 'networkidle' })
    const row = page.locator('tr', { hasText: 'Engaged, not Pune, not VIP' })
    await row.waitFor()
    expect(await page.locator('thead').textContent()).toMatch(/Audience Count/)
    expect(await page.locator('thead').textContent()).toMatch(/Counted At/)
    expect((await row.locator('.cell-audienceCount').textContent())?.trim()).toBe(String(NESTED_EXPECTED))
    expect((await row.locator('.cell-countedAt').textContent())?.trim()).not.toBe('')
    await shot(page, '06-list.png')
    expect(await scanOurComponents(page, ['[data-testid="segment-create-campaign"]'])).toEqual([])
    await row.locator('[data-testid="segment-create-campaign"]').click()
    await page.waitForURL(new RegExp(`/admin/collections/campaigns/create\\?segment=${segmentId}`), { timeout: 30_000 })
    await page.locator('#field-segment', { hasText: 'Engaged, not Pune, not VIP' }).waitFor({ timeout: 30_000 })
    await shot(page, '07-campaign-with-segment.png')
  })

  it('should offer attribute keys and values, date, relative-day and yes/no editors', async () => {
    const page = adminPage
    page.once('dialog', (dialog) => void dialog.accept())
    await page.goto(`${url}/admin/collections/segments/create`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="segment-empty"]').waitFor()
    const addRule = () => at(page, []).locator('.ruleGroup-header .ruleGroup-addRule').first().click()

    await addRule()
    // The key picker: attribute keys found in the database are fields.
    await eventually(() => at(page, [0]).locator('.rule-fields option[value^="attributes."]').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), ['attributes.plan'])
    await at(page, [0]).locator('.rule-fields').selectOption('attributes.plan')
    await eventually(() => at(page, [0]).locator('datalist option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), ['gold', 'silver'])
    await at(page, [0]).locator('input.crm-suggest-input').fill('gold')

    await addRule()
    await at(page, [1]).locator('.rule-fields').selectOption('createdAt')
    await at(page, [1]).locator('.rule-operators').selectOption('>')
    expect(await at(page, [1]).locator('.rule-value').getAttribute('type')).toBe('date')
    await at(page, [1]).locator('.rule-operators').selectOption('withinDays')
    expect(await at(page, [1]).locator('.rule-value').getAttribute('type')).toBe('number')
    await at(page, [1]).locator('.rule-value').fill('7')

    await addRule()
    await at(page, [2]).locator('.rule-fields').selectOption('marketingOptOut')
    await at(page, [2]).locator('.rule-operators').selectOption('!=')
    expect(await at(page, [2]).locator('.rule-value option').allTextContents()).toEqual(['yes', 'no'])
    await at(page, [2]).locator('.rule-value').selectOption('true')

    await eventually(() => page.locator('[data-testid="segment-dsl"]').inputValue(), 'attributes.plan = "gold" AND createdAt WITHIN 7 DAYS AND marketingOptOut != true')
    // Everyone was imported just now and nobody opted out: the plan decides.
    await countShows(page, SEED.filter((c) => c.plan === 'gold').length)
    await shot(page, '09-attribute-date-boolean.png')
  })

  it('should show the segment read-only to a viewer', async () => {
    // A segment nobody has open (the admin's open page would lock the first one, and a lock makes
    // the form read-only for anyone): read-only here comes from the viewer's role alone.
    const { doc } = await api<{ doc: { id: number } }>('/api/segments', { body: JSON.stringify({ dsl: NESTED_DSL, name: 'Made through the API' }), method: 'POST', token: adminToken })
    const page = await (await browser.newContext({ viewport: { height: 1000, width: 1400 } })).newPage()
    await signIn(page, VIEWER)
    await page.goto(`${url}/admin/collections/segments/${doc.id}`, { waitUntil: 'networkidle' })
    await page.locator('[data-testid="segment-readonly"]').waitFor({ timeout: 30_000 })
    expect(await page.getByText('Document locked').count()).toBe(0)
    expect(await at(page, [0]).locator('.rule-fields').isDisabled()).toBe(true)
    expect(await at(page, [1, 0]).locator('input.crm-suggest-input').isDisabled()).toBe(true)
    expect(await page.locator('.ruleGroup-addRule').first().isDisabled()).toBe(true)
    expect(await page.locator('[data-testid="segment-dsl"]').getAttribute('readonly')).not.toBeNull()
    expect(await page.locator('[data-testid="segment-create-campaign"]').count()).toBe(0)
    expect(await scanOurComponents(page, ['[data-testid="segment-members-link"]'])).toEqual([])
    await countShows(page, NESTED_EXPECTED)
    await shot(page, '08-viewer-read-only.png')
    await page.context().close()
  })
})

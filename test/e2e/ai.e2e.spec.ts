import type { Browser, Page } from 'playwright-core'

import os from 'node:os'
import path from 'node:path'

import { scanOurComponents } from '../helpers/axe.js'
import { type CrmServer, launchChromium, signInThroughForm, startCrmServer } from '../helpers/e2eServer.js'

/**
 * "Describe audience" in the segment editor, in a real browser against `npm start` (offline AI: no
 * GEMINI_API_KEY): plain English fills the form's rules and DSL, shows the matching count before
 * saving, and the saved segment holds those rules. Both AI buttons are used with the keyboard (Tab,
 * Enter) and scanned with axe (serious/critical fail) empty, and with their answers shown.
 */
const ADMIN = { email: 'admin@crm.test', password: 'admin-123456' }

describe('AI buttons in the admin', () => {
  let server: CrmServer
  let url: string
  let browser: Browser | undefined
  let token: string

  const api = async (pathname: string, init: RequestInit = {}) =>
    fetch(`${url}${pathname}`, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}), ...init.headers } })

  beforeAll(async () => {
    server = await startCrmServer({ env: { GEMINI_API_KEY: undefined, GEMINI_BASE_URL: undefined }, prefix: 'crm-ai-e2e-' })
    url = server.url
    const first = await api('/api/users/first-register', { body: JSON.stringify(ADMIN), method: 'POST' })
    expect(first.status).toBeLessThan(300)
    token = ((await (await api('/api/users/login', { body: JSON.stringify(ADMIN), method: 'POST' })).json()) as { token: string }).token
    for (const [i, city] of ['Pune', 'Delhi', 'Mumbai'].entries()) {
      expect((await api('/api/customers', { body: JSON.stringify({ city, email: `c${i}@crm.test`, name: `Customer ${i}` }), method: 'POST' })).status).toBe(201)
    }
  }, 13 * 60_000)

  afterAll(async () => {
    await browser?.close()
    server?.stop()
  })

  const signIn = (page: Page) => signInThroughForm(page, url, ADMIN)

  it('should fill the rules from plain English, show the count, and save them', async () => {
    browser = await launchChromium()
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page)

    await page.goto(`${url}/admin/collections/segments/create`, { waitUntil: 'networkidle' })
    await page.fill('input[name="name"]', 'Pune and Delhi')
    const describe = page.locator('[data-testid="crm-ai-describe"]')
    // Empty: the button is disabled and the status says why.
    expect(await describe.getByRole('button', { name: 'Describe audience' }).isDisabled()).toBe(true)
    expect(await describe.getByRole('status').textContent()).toBe('Type at least 3 characters.')
    expect(await scanOurComponents(page, ['[data-testid="crm-ai-describe"]'])).toEqual([])
    // Keyboard only: the label names the box, Tab reaches the button, Enter runs it.
    await page.getByLabel('Describe the audience in plain English').focus()
    await page.keyboard.type('from Pune or Delhi')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Describe audience')
    await page.keyboard.press('Enter')
    const result = describe.getByRole('status').locator('[data-testid="crm-ai-describe-result"]')
    await result.waitFor({ timeout: 30_000 })
    expect(await result.textContent()).toMatch(/city IN \("Pune", "Delhi"\).*2 customers match.*offline parser/)
    expect(await page.inputValue('textarea[name="dsl"], #field-dsl')).toBe('city IN ("Pune", "Delhi")')
    await page.screenshot({ path: path.join(os.tmpdir(), 'crm-ai-describe.png') })
    expect(await scanOurComponents(page, ['[data-testid="crm-ai-describe"]'])).toEqual([])

    await page.click('#action-save')
    await page.waitForURL(/\/admin\/collections\/segments\/\d+/, { timeout: 30_000 })
    const saved = (await (await api('/api/segments?limit=1')).json()) as { docs: { audienceCount: number; dsl: string; rules: unknown }[] }
    expect(saved.docs[0]).toMatchObject({ audienceCount: 2, dsl: 'city IN ("Pune", "Delhi")', rules: { combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['Pune', 'Delhi'] }] } })
    await context.close()
  }, 180_000)

  it('should fill the message with a picked suggestion', async () => {
    const context = await browser!.newContext()
    const page = await context.newPage()
    await signIn(page)

    await page.goto(`${url}/admin/collections/campaigns/create`, { waitUntil: 'networkidle' })
    await page.fill('#field-name', 'Win-back')
    const suggest = page.locator('[data-testid="crm-ai-suggest"]')
    // No intent yet: disabled, and the status says why.
    expect(await suggest.getByRole('button', { name: 'Suggest messages' }).isDisabled()).toBe(true)
    expect(await suggest.getByRole('status').textContent()).toBe('Fill in the intent first.')
    expect(await scanOurComponents(page, ['[data-testid="crm-ai-suggest"]'])).toEqual([])
    await page.fill('#field-intent', 'win back lapsed buyers with 10% off')
    // Keyboard only: the button, then Tab to the tone picker and back, Enter to run it.
    const button = suggest.getByRole('button', { name: 'Suggest messages' })
    await button.focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
    expect(await suggest.getByLabel('Tone').inputValue()).toBe('friendly')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter')
    const list = page.locator('[data-testid="crm-ai-suggestions"]')
    await list.waitFor({ timeout: 30_000 })
    expect(await suggest.getByRole('status').textContent()).toMatch(/^\d+ suggestions?\. Written by the offline fallback/)
    const first = (await list.locator('li > span').first().textContent()) ?? ''
    expect(first).toMatch(/10% off/)
    // Each "Use this" is described by its message, so a screen reader knows which one it takes.
    const use = list.getByRole('button', { name: 'Use this' }).first()
    expect(await use.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(first)
    await use.focus()
    await page.keyboard.press('Enter')
    expect(await page.inputValue('#field-message')).toBe(first)
    await page.screenshot({ path: path.join(os.tmpdir(), 'crm-ai-suggest.png') })
    expect(await scanOurComponents(page, ['[data-testid="crm-ai-suggest"]'])).toEqual([])
    await page.click('#action-save')
    await page.waitForURL(/\/admin\/collections\/campaigns\/\d+/, { timeout: 30_000 })
    const saved = (await (await api('/api/campaigns?limit=1')).json()) as { docs: { message: string }[] }
    expect(saved.docs[0]!.message).toBe(first)
    await context.close()
  }, 180_000)
})

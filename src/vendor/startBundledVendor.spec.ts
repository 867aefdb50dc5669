import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { deriveWebhookSecret, verifyReceiptSignature } from '../domain/campaigns/receiptSignature.js'
import { readVendorEnv } from '../env.js'
import { startBundledVendor } from './startBundledVendor.js'

describe('readVendorEnv', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crm-vendor-env-'))
  })

  afterEach(() => {
    rmSync(dir, { force: true, recursive: true })
  })

  it('should read VENDOR_URL and VENDOR_WEBHOOK_SECRET', () => {
    expect(readVendorEnv({ CRM_DATA_DIR: dir, VENDOR_URL: ' https://vendor.example.com/api/ ', VENDOR_WEBHOOK_SECRET: ' s ' })).toEqual({
      crmUrl: 'http://localhost:3000',
      vendorUrl: 'https://vendor.example.com/api',
      webhookSecret: 's',
      webhookSecretSet: 's',
    })
  })

  it('should derive the secret from PAYLOAD_SECRET, else from the stored secret, else leave it unset', () => {
    expect(readVendorEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 'p' }).webhookSecret).toBe(deriveWebhookSecret({ secret: 'p' }))
    expect(readVendorEnv({ CRM_DATA_DIR: dir, PAYLOAD_SECRET: 'p' }).webhookSecretSet).toBeUndefined() // derived, not set
    expect(readVendorEnv({ CRM_DATA_DIR: dir }).webhookSecret).toBeUndefined()
    writeFileSync(path.join(dir, '.payload-secret'), 'stored\n')
    expect(readVendorEnv({ CRM_DATA_DIR: dir }).webhookSecret).toBe(deriveWebhookSecret({ secret: 'stored' }))
    expect(deriveWebhookSecret({ secret: 'stored' })).toMatch(/^[0-9a-f]{64}$/)
    expect(deriveWebhookSecret({ secret: 'stored' })).not.toBe(deriveWebhookSecret({ secret: 'p' }))
  })

  it('should say where receipts reach the CRM', () => {
    expect(readVendorEnv({ CRM_DATA_DIR: dir, PORT: '8080' }).crmUrl).toBe('http://localhost:8080')
    expect(readVendorEnv({ CRM_DATA_DIR: dir, PUBLIC_URL: 'https://crm.example.com/' }).crmUrl).toBe('https://crm.example.com')
  })

  it.each(['vendor.example.com', 'ftp://vendor', 'http://'])('should refuse VENDOR_URL %j', (url) => {
    expect(() => readVendorEnv({ CRM_DATA_DIR: dir, VENDOR_URL: url })).toThrow(/VENDOR_URL must be an http/)
  })
})

describe('startBundledVendor', () => {
  it('should use VENDOR_URL when set and start nothing', async () => {
    const link = await startBundledVendor({ crmPort: 3000, payloadSecret: 'p', vendorEnv: { crmUrl: 'x', vendorUrl: 'https://vendor.example.com' } })
    expect(link).toMatchObject({ url: 'https://vendor.example.com', webhookSecret: deriveWebhookSecret({ secret: 'p' }) })
    expect(link.simulator).toBeUndefined()
    await link.close()
  })

  it('should start the simulator when VENDOR_URL is unset, calling receipts back to the CRM port on loopback', async () => {
    const bodies: { body: string; signature?: string; url?: string }[] = []
    const crm = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        bodies.push({ body, signature: req.headers['x-signature'] as string, url: req.url })
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve))
    const link = await startBundledVendor({ crmPort: (crm.address() as AddressInfo).port, payloadSecret: 'p', vendorEnv: { crmUrl: 'x', webhookSecret: 'w' } })
    try {
      expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      link.simulator!.configure({ receiptDelayMs: [0, 0] })
      const response = await fetch(`${link.url}/messages`, {
        body: JSON.stringify({ messages: [{ reference: 'c:1', text: 'hi', to: 'a@example.com' }] }),
        headers: { 'content-type': 'application/json' },
        method: 'POST',
      })
      expect(response.status).toBe(202)
      await link.simulator!.whenIdle()
      expect(bodies.length).toBeGreaterThan(0)
      for (const { body, signature, url } of bodies) {
        expect(url).toBe('/api/communication-logs/receipts')
        expect(verifyReceiptSignature({ body, secret: 'w', signature })).toBe(true)
      }
    } finally {
      await link.close()
      await new Promise<void>((resolve) => crm.close(() => resolve()))
    }
  })
})

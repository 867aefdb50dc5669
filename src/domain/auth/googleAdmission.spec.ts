import { decideAdmission, notAllowedReason, parseList } from './googleAdmission.js'

const policy = { allowedDomains: ['example.com'], allowedEmails: ['guest@gmail.com'] }

describe('decideAdmission', () => {
  it('should allow a verified Workspace member of an allowed domain (hd and email domain both match)', () => {
    expect(decideAdmission({ email: 'A@Example.com', email_verified: true, hd: 'example.com' }, policy)).toEqual({ email: 'a@example.com', kind: 'allowed' })
  })

  it('should not let a consumer account at the domain (no hd) or a mismatched hd be provisioned', () => {
    expect(decideAdmission({ email: 'a@example.com', email_verified: true }, policy).kind).toBe('existingOnly')
    expect(decideAdmission({ email: 'a@other.com', email_verified: true, hd: 'example.com' }, policy).kind).toBe('existingOnly')
  })

  it('should allow listed emails whatever their domain', () => {
    expect(decideAdmission({ email: 'guest@gmail.com', email_verified: 'true' }, policy).kind).toBe('allowed')
  })

  it('should reject unverified or missing emails', () => {
    expect(decideAdmission({ email: 'a@example.com', email_verified: false, hd: 'example.com' }, policy)).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/not verified/) })
    expect(decideAdmission({ email_verified: true }, policy)).toMatchObject({ kind: 'rejected' })
  })

  it('should admit only existing users when no list is set', () => {
    const none = { allowedDomains: [], allowedEmails: [] }
    expect(decideAdmission({ email: 'a@example.com', email_verified: true, hd: 'example.com' }, none).kind).toBe('existingOnly')
    expect(notAllowedReason('a@example.com', none)).toMatch(/only admits existing users/)
  })

  it('should parse comma lists', () => {
    expect(parseList(' Example.com, @corp.test ,,')).toEqual(['example.com', 'corp.test'])
    expect(parseList(undefined)).toEqual([])
  })
})

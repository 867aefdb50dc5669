import type { PayloadRequest } from 'payload'

import { segmentFromCreateUrl } from './segmentFromCreateUrl.js'

const reqFor = (url: string): Partial<PayloadRequest> => {
  const parsed = new URL(url)
  return { pathname: parsed.pathname, payload: { config: { routes: { admin: '/admin' } } } as never, searchParams: parsed.searchParams }
}

describe('segmentFromCreateUrl', () => {
  it('should read ?segment= on the admin create view only', () => {
    expect(segmentFromCreateUrl({ req: reqFor('http://x/admin/collections/campaigns/create?segment=12') })).toBe(12)
    expect(segmentFromCreateUrl({ req: reqFor('http://x/admin/collections/campaigns/create?segment=65a1f0c2b3d4e5f601234567') })).toBe('65a1f0c2b3d4e5f601234567')
    expect(segmentFromCreateUrl({ req: reqFor('http://x/api/campaigns?segment=12') })).toBeUndefined()
    expect(segmentFromCreateUrl({ req: reqFor('http://x/admin/collections/campaigns/create?segment=1%20OR%201') })).toBeUndefined()
    expect(segmentFromCreateUrl({ req: reqFor('http://x/admin/collections/campaigns/create') })).toBeUndefined()
    expect(segmentFromCreateUrl({})).toBeUndefined()
  })
})

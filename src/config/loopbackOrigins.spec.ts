import { describe, expect, it } from '@jest/globals'

import { isLoopbackHost, loopbackOrigins } from './loopbackOrigins.js'

describe('loopbackOrigins', () => {
  it('should treat localhost, 127.0.0.1 and ::1 alike on the same scheme and port', () => {
    expect(loopbackOrigins('http://localhost:3000')).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'])
    expect(loopbackOrigins('http://127.0.0.1:8080/')).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'])
    expect(loopbackOrigins('https://[::1]')).toEqual(['https://[::1]', 'https://localhost', 'https://127.0.0.1'])
  })

  it('should keep a public host to its own origin', () => {
    expect(loopbackOrigins('https://crm.example.com/base')).toEqual(['https://crm.example.com'])
    expect(loopbackOrigins('http://localhost.example.com:3000')).toEqual(['http://localhost.example.com:3000'])
  })

  it('should recognise loopback host names only', () => {
    expect(['localhost', 'LOCALHOST', '127.0.0.1', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true])
    expect(['127.0.0.2', 'example.com', '0.0.0.0'].map(isLoopbackHost)).toEqual([false, false, false])
  })
})

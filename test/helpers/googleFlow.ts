/**
 * Drives a Google sign-in over HTTP without a browser: the start endpoint's redirect, the fake
 * provider's redirects (with its cookies) up to our callback URL.
 */

/** The `name=value` pairs of every Set-Cookie on a response. */
export const cookiesOf = (res: Response): Map<string, string> => {
  const jar = new Map<string, string>()
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const at = pair!.indexOf('=')
    jar.set(pair!.slice(0, at), pair!.slice(at + 1))
  }
  return jar
}

export const cookieHeader = (jar: Map<string, string>): string =>
  [...jar].filter(([, value]) => value !== '').map(([name, value]) => `${name}=${value}`).join('; ')

/** Follows the provider's redirects from `authorizationUrl` until one points at `callbackPrefix`; returns that URL. */
export const followProvider = async (authorizationUrl: string, callbackPrefix: string): Promise<string> => {
  const jar = new Map<string, string>()
  let url = authorizationUrl
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { headers: { cookie: cookieHeader(jar) }, redirect: 'manual' })
    for (const [name, value] of cookiesOf(res)) jar.set(name, value)
    const location = res.headers.get('location')
    if (!location) throw new Error(`fake provider stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`)
    url = new URL(location, url).href
    if (url.startsWith(callbackPrefix)) return url
  }
  throw new Error('too many redirects at the fake provider')
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;' })[char]!)

const page = (title: string, body: string, head = ''): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex">${head}<title>${escapeHtml(title)} · Mini CRM</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>` +
  `</head><body>${body}</body></html>`

const HTML_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'Content-Type': 'text/html; charset=utf-8',
  'Referrer-Policy': 'no-referrer',
}

/**
 * A refused sign-in: the reason in words, a link to try again, nothing else (no stack, no token).
 * `clearCookies` are `Set-Cookie` values that drop the half-finished flow.
 */
export const rejectionPage = ({
  clearCookies = [],
  loginUrl,
  reason,
  status,
}: {
  clearCookies?: string[]
  loginUrl: string
  reason: string
  status: number
}): Response => {
  const headers = new Headers(HTML_HEADERS)
  for (const cookie of clearCookies) headers.append('Set-Cookie', cookie)
  const body =
    `<h1>Google sign-in failed</h1><p id="reason">${escapeHtml(reason)}</p>` +
    `<p><a href="${escapeHtml(loginUrl)}">Back to the sign-in page</a></p>`
  return new Response(page('Google sign-in failed', body), { headers, status })
}

/**
 * The end of a successful sign-in: a same-site page that sets the session cookie and then moves on to
 * the admin. Answering the provider's cross-site redirect with another redirect would leave the cookie
 * to a redirect chain that started on another site, where browsers may not send it on the next hop.
 */
export const continuePage = ({ cookies, next }: { cookies: string[]; next: string }): Response => {
  const headers = new Headers(HTML_HEADERS)
  for (const cookie of cookies) headers.append('Set-Cookie', cookie)
  const target = escapeHtml(next)
  const body = `<h1>Signed in</h1><p><a id="continue" href="${target}">Continue to the admin</a></p>`
  return new Response(page('Signed in', body, `<meta http-equiv="refresh" content="0;url=${target}">`), { headers, status: 200 })
}

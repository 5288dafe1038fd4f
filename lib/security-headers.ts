/**
 * Pages get a Content-Security-Policy with a fresh nonce per request (set by
 * proxy.ts; Next.js puts the nonce on its own scripts, the layout on the theme script). Inline
 * style attributes stay allowed: React and Recharts set them, and they cannot run code.
 */
// The headers of every response, and the API's own policy, are in next.config.js.
export function pageContentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

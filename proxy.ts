import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';

/**
 * An early, optimistic check: a page request without a session cookie goes to sign-in, keeping
 * where it was headed. Every page, route and action still checks the session and role itself.
 */
export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const target = new URL('/sign-in', request.url);
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (next !== '/') target.searchParams.set('next', next);
  return NextResponse.redirect(target);
}

export const config = {
  // Pages only: not the sign-in page, auth and API routes, health, Next.js assets or the icon.
  matcher: ['/((?!sign-in|api/|_next/|icon|favicon).*)'],
};

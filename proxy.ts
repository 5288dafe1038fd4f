import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { pathProblem, readableActionBody, sameOriginAction } from '@/lib/request-checks';
import { pageContentSecurityPolicy } from '@/lib/security-headers';

/**
 * Runs before every page: sets the page's Content-Security-Policy with a fresh nonce, and as an
 * early, optimistic check sends a request without a session cookie to sign-in, keeping where it
 * was headed. Every page, route and action still checks the session and role itself.
 */
export async function proxy(request: NextRequest) {
  const unreadable = pathProblem(request.nextUrl.pathname);
  if (unreadable) return NextResponse.json({ error: unreadable }, { status: 400 });
  if (request.nextUrl.pathname.startsWith('/api/')) return NextResponse.next();
  // A server action called from another origin: refused here as 403 (Next.js would answer 500).
  if (
    request.method === 'POST' &&
    request.headers.has('next-action') &&
    !sameOriginAction(
      request.headers.get('origin'),
      request.headers.get('x-forwarded-host') ?? request.headers.get('host'),
    )
  ) {
    return NextResponse.json(
      { error: 'Actions are accepted from this site only.' },
      { status: 403 },
    );
  }
  if (
    request.method === 'POST' &&
    request.headers.has('next-action') &&
    !(await readableActionBody(request))
  ) {
    return NextResponse.json(
      { error: "The action's arguments could not be read." },
      { status: 400 },
    );
  }
  const isSignIn = request.nextUrl.pathname === '/sign-in';
  if (!isSignIn && !getSessionCookie(request)) {
    const target = new URL('/sign-in', request.url);
    const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
    if (next !== '/') target.searchParams.set('next', next);
    return NextResponse.redirect(target);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  // Next.js reads the nonce for its own scripts from the request's policy header.
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Pages, and API routes for the address check only; not Next.js assets or the icon.
  matcher: ['/((?!_next/|icon|favicon).*)'],
};

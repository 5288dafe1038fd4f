import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { ACTION_BODY_LIMIT, ACTION_BODY_TOO_LARGE, declaredTooLarge } from '@/lib/action-body.mjs';
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
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    // Any write to a page (a server action, with or without JavaScript) from another origin is
    // refused here as 403 (Next.js would answer 500), before anything reads it.
    if (
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
    const tooLarge = NextResponse.json({ error: ACTION_BODY_TOO_LARGE }, { status: 413 });
    if (declaredTooLarge(request.headers.get('content-length'), ACTION_BODY_LIMIT)) return tooLarge;
    if (request.headers.has('next-action')) {
      const body = await readableActionBody(request, ACTION_BODY_LIMIT);
      if (body === 'too large') return tooLarge;
      if (body === 'unreadable')
        return NextResponse.json(
          { error: "The action's arguments could not be read." },
          { status: 400 },
        );
    }
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
  matcher: [
    // Pages; not Next.js assets, the icon, or the OTLP receivers (/v1/logs, /v1/metrics).
    '/((?!_next/|icon|favicon|api/|v1/).*)',
    // API routes for the address check only, and only requests without a body: with a proxy in
    // the way Next.js reads a whole body before the route runs, so a body shorter than its
    // Content-Length would hold the request until it timed out instead of being refused.
    {
      source: '/api/:path*',
      missing: [
        { type: 'header', key: 'content-length' },
        { type: 'header', key: 'transfer-encoding' },
      ],
    },
  ],
};

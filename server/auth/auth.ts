import 'server-only';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { admin } from 'better-auth/plugins';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';
import { createAccessControl } from 'better-auth/plugins/access';
import type { DatabaseHandle } from '@/db/types';
import { getDatabase } from '@/server/database';
import { settings } from '@/server/settings';
import { serverSecret } from '@/server/server-secret';
import { DEMO_PASSWORD, MIN_PASSWORD_LENGTH, passwordProblem } from '@/lib/password-policy';
import { authAccounts, authSessions, authUsers, authVerifications } from '@/db/schema';
import { DEMO_ADMIN, ensureDemoAdmin } from './demo-admin';
// Set by the server from the connection, never by the client.
import { CLIENT_HEADER } from '@/lib/client-address.mjs';
import * as throttle from '../sign-in-throttle';

const ac = createAccessControl(defaultStatements);
export const authRoles = {
  admin: adminAc,
  editor: ac.newRole({}),
  viewer: ac.newRole({}),
};

/** The server's own host:port (settings' ownOrigin; 3000 by default, as `npm run dev`). */
function ownHosts(): string[] {
  const origin = settings().ownOrigin;
  const port = origin ? new URL(origin).port : '3000';
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** A sign-in sent to /api/auth/sign-in/email over HTTP (the form's action counts its own). */
function httpAttempt(
  ctx: { path: string; request?: Request; body?: unknown },
  secret: string,
): throttle.Attempt | null {
  if (ctx.path !== '/sign-in/email' || !ctx.request) return null;
  const email = (ctx.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string') return null;
  return throttle.attemptFrom(email, ctx.request.headers, secret);
}

/** The endpoints that set a password, and the body field holding it. */
const PASSWORD_FIELDS: Record<string, string> = {
  '/admin/create-user': 'password',
  '/admin/set-user-password': 'newPassword',
  '/change-password': 'newPassword',
  '/reset-password': 'newPassword',
  '/sign-up/email': 'password',
};

/**
 * Why the password a call sets is refused (lib/password-policy.ts), or null. The one exception is
 * the embedded demo's own admin, created with the published password on the demo database.
 */
function refusedPassword(
  ctx: { path: string; body?: unknown },
  database: DatabaseHandle,
): string | null {
  const field = PASSWORD_FIELDS[ctx.path];
  if (!field) return null;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const password = body[field];
  if (typeof password !== 'string') return null;
  const isDemoAdmin =
    database.kind === 'pglite' && body.email === DEMO_ADMIN.email && password === DEMO_PASSWORD;
  if (isDemoAdmin) return null;
  const personal = [body.email, body.name].filter((v): v is string => typeof v === 'string');
  return passwordProblem(password, personal);
}

/** The demo's published password signs nobody in outside the embedded demo. */
export const PUBLISHED_PASSWORD_REFUSED =
  'That password is published with Pattern Ledger and works only in the embedded demo; ask an admin to set a new one.';

export function createAuth(database: DatabaseHandle) {
  const env = settings();
  return betterAuth({
    appName: 'Pattern Ledger',
    secret: serverSecret(),
    // Without AUTH_URL the server is reached on loopback at its own port only (it listens on
    // 127.0.0.1 by default); requests from any other origin, another port included, are refused.
    baseURL: env.authUrl ?? {
      allowedHosts: ownHosts(),
      protocol: 'http',
      // For calls made without a request (the demo admin, npm run user:create).
      fallback: `http://${ownHosts()[0]}`,
    },
    // The same waits for scripts signing in over HTTP as for the form (server/sign-in-throttle.ts).
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const refused = refusedPassword(ctx, database);
        if (refused) throw new APIError('BAD_REQUEST', { message: refused });
        if (
          ctx.path === '/sign-in/email' &&
          database.kind !== 'pglite' &&
          (ctx.body as { password?: unknown } | undefined)?.password === DEMO_PASSWORD
        )
          throw new APIError('FORBIDDEN', { message: PUBLISHED_PASSWORD_REFUSED });
        const attempt = httpAttempt(ctx, ctx.context.secret);
        if (!attempt) return;
        const waitMs = await throttle.signInWait(database.db, attempt);
        if (waitMs > 0)
          throw new APIError('TOO_MANY_REQUESTS', { message: throttle.waitMessage(waitMs) });
      }),
      after: createAuthMiddleware(async (ctx) => {
        const attempt = httpAttempt(ctx, ctx.context.secret);
        if (!attempt) return;
        const status = (ctx.context.returned as { statusCode?: unknown } | undefined)?.statusCode;
        if (typeof status !== 'number') await throttle.signInSucceeded(database.db, attempt);
        // A refusal for waiting is not another failure.
        else if (status >= 400 && status !== 429) await throttle.signInFailed(database.db, attempt);
      }),
    },
    database: drizzleAdapter(database.db, {
      provider: 'pg',
      schema: {
        user: authUsers,
        session: authSessions,
        account: authAccounts,
        verification: authVerifications,
      },
    }),
    // Accounts are created by admins (or `npm run user:create`), never by strangers.
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
    },
    // Sliding: a week from the last use, renewed at most daily; and absolute: never longer than
    // SESSION_MAX_DAYS (30 by default) after signing in, however active.
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    databaseHooks: {
      session: {
        update: {
          before: (update, ctx) => {
            const started = ctx?.context.session?.session.createdAt;
            const expiresAt = (update as { expiresAt?: unknown }).expiresAt;
            if (!started || !(expiresAt instanceof Date)) return Promise.resolve();
            const end = new Date(started).getTime() + env.sessionMaxAgeSeconds * 1000;
            // Past its absolute end a session is not renewed: the request is signed out.
            if (end <= Date.now()) return Promise.resolve(false);
            if (expiresAt.getTime() <= end) return Promise.resolve();
            return Promise.resolve({ data: { ...update, expiresAt: new Date(end) } });
          },
        },
      },
    },
    advanced: {
      useSecureCookies: env.authUrl?.startsWith('https://') ?? false,
      // The client address as the server worked it out from the connection (and from
      // X-Forwarded-For only when it came through TRUSTED_PROXIES): a client cannot choose it.
      ipAddress: { ipAddressHeaders: [CLIENT_HEADER] },
    },
    // better-auth's own limit on /api/auth/sign-in/email (in production: three tries in ten
    // seconds per client address, in each app process) stays, beside the hooks' waits.
    plugins: [
      admin({
        defaultRole: 'viewer',
        adminRoles: ['admin'],
        ac,
        roles: authRoles,
        bannedUserMessage: 'This account is disabled. Ask an admin to enable it.',
      }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const cache = globalThis as typeof globalThis & { __patternLedgerAuth?: Promise<Auth> };

/** The process-wide auth, on the process-wide database; the demo gets its admin on first start. */
export function getAuth(): Promise<Auth> {
  if (!cache.__patternLedgerAuth) {
    cache.__patternLedgerAuth = (async () => {
      const database = await getDatabase();
      const auth = createAuth(database);
      if (
        database.kind === 'pglite' &&
        (await ensureDemoAdmin(database.db, (user) => auth.api.createUser({ body: user })))
      ) {
        console.log(
          `[pattern-ledger] demo admin created: sign in as ${DEMO_ADMIN.email} with password ${DEMO_ADMIN.password}`,
        );
      }
      return auth;
    })().catch((error: unknown) => {
      cache.__patternLedgerAuth = undefined;
      throw error;
    });
  }
  return cache.__patternLedgerAuth;
}

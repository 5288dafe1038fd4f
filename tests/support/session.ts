/**
 * The request context of server actions in tests. Sessions are real: users are created and signed
 * in through better-auth on the test database; only Next.js's `headers()` is supplied from here.
 */
import type { Auth } from '@/server/auth/auth';

let requestHeaders = new Headers();

export const nextHeadersModule = {
  headers: () => Promise.resolve(requestHeaders),
  // Reads the request's Cookie header; what an action sets is kept in `cookiesSet`.
  cookies: () =>
    Promise.resolve({
      get: (name: string) => {
        const pair = (requestHeaders.get('cookie') ?? '')
          .split(/;\s*/)
          .map((part) => part.split('='))
          .find(([key]) => key === name);
        return pair ? { name, value: pair.slice(1).join('=') } : undefined;
      },
      getAll: () => [],
      set: (name: string, value: string) => {
        cookiesSet.set(name, value);
      },
      delete: () => undefined,
      has: () => false,
    }),
};

/** Cookies the actions set, by name (the latest value). */
export const cookiesSet = new Map<string, string>();

/** Acts with exactly these request headers (an address, a cookie) until the next change. */
export function actWithHeaders(headers: Record<string, string>): void {
  requestHeaders = new Headers(headers);
}

/** Acts as nobody until the next `signInAs`. */
export function signOutOfTests(): void {
  requestHeaders = new Headers();
}

/** Creates (once) and signs in a user with the role; later calls act as that user. */
export async function signInAs(auth: Auth, role: 'viewer' | 'editor' | 'admin'): Promise<string> {
  const email = `${role}@tests.local`;
  const password = 'a-long-test-password';
  try {
    await auth.api.createUser({ body: { email, password, name: role, role } });
  } catch {
    // already created
  }
  const response = await auth.api.signInEmail({ body: { email, password }, asResponse: true });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  requestHeaders = new Headers({ cookie });
  return email;
}

/**
 * The request context of server actions in tests. Sessions are real: users are created and signed
 * in through better-auth on the test database; only Next.js's `headers()` is supplied from here.
 */
import type { Auth } from '@/lib/auth/server';

let requestHeaders = new Headers();

export const nextHeadersModule = {
  headers: () => Promise.resolve(requestHeaders),
  cookies: () =>
    Promise.resolve({
      get: () => undefined,
      getAll: () => [],
      set: () => undefined,
      delete: () => undefined,
      has: () => false,
    }),
};

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

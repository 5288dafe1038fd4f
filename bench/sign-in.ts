import { request } from 'node:http';

/**
 * Signs in through better-auth's endpoint and returns the Cookie header for later requests.
 * node:http, because fetch drops the Origin header that better-auth's origin check wants.
 */
export function signInCookie(
  base: string,
  email = process.env.BENCH_EMAIL ?? 'admin@pattern-ledger.local',
  password = process.env.BENCH_PASSWORD ?? 'pattern-ledger-demo',
): Promise<string> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/auth/sign-in/email`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: base,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        if (res.statusCode !== 200) return reject(new Error(`sign-in failed: ${res.statusCode}`));
        resolve((res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

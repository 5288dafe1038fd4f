/** Signs in through better-auth's endpoint and returns the Cookie header for later requests. */
export async function signInCookie(
  base: string,
  email = process.env.BENCH_EMAIL ?? 'admin@pattern-ledger.local',
  password = process.env.BENCH_PASSWORD ?? 'pattern-ledger-demo',
): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

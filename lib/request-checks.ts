/**
 * Checks of a request's address and origin made before Next.js handles it, so that what it would
 * refuse with an error page (a 500 with a digest) is refused plainly: 400 or 403.
 */

/** Why the path cannot be read (malformed percent-encoding, NUL), or null when it can. */
export function pathProblem(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return 'The address is not valid (malformed percent-encoding).';
  }
  if (decoded.includes('\u0000')) return 'The address must not contain the NUL character.';
  return null;
}

/**
 * Whether a server-action call comes from the page's own origin: its Origin header (browsers send
 * one with every POST) names the host the request was sent to. Calls without one are refused too.
 */
export function sameOriginAction(origin: string | null, host: string | null): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether a server action's arguments can be read: React sends them as JSON text, or as a form
 * whose part "0" is the JSON list of arguments. Next.js answers anything else with a 500.
 */
export async function readableActionBody(request: Request): Promise<boolean> {
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('multipart/form-data')) {
      const first = (await request.clone().formData()).get('0');
      return typeof first !== 'string' || parses(first);
    }
    return parses(await request.clone().text());
  } catch {
    return false;
  }
}

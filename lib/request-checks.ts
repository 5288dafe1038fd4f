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

/** Reads a body, giving up past `limit` bytes. */
async function bytesWithin(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: the body is a clone (a tee branch), whose cancel settles only when the
      // original is cancelled too.
      void reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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
 * whose part "0" is the JSON list of arguments. Next.js answers anything else with a 500, and a
 * body past its limit with a 500 too.
 */
export async function readableActionBody(
  request: Request,
  limit: number,
): Promise<'readable' | 'unreadable' | 'too large'> {
  const type = request.headers.get('content-type') ?? '';
  try {
    const bytes = await bytesWithin(request.clone(), limit);
    if (bytes === null) return 'too large';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(bytes), {
        headers: { 'content-type': type },
      }).formData();
      const first = form.get('0');
      return typeof first !== 'string' || parses(first) ? 'readable' : 'unreadable';
    }
    return parses(bytes.toString('utf8')) ? 'readable' : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

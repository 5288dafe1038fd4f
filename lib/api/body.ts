import { apiError } from './responses';

export type JsonBody = { value: unknown; text: string };

/**
 * The request's body as bytes, or the answer to send instead: 413 past `maxBytes` (told by
 * Content-Length, before anything is read, or found while reading), 400 when it is empty or ends
 * before it is complete.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array | Response> {
  const tooLarge = () =>
    apiError(413, `The body is larger than ${maxBytes} bytes; send smaller batches.`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  if (!request.body) return apiError(400, 'The body is empty.');

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
  } catch {
    // The client stopped sending (or the server's request timeout ended it): not our failure.
    return apiError(400, 'The body ended before it was complete.');
  }
  return Buffer.concat(chunks);
}

/**
 * The request's JSON body, or the answer to send instead: 415 for another content type, 413 past
 * `maxBytes`, 400 for an empty or malformed body.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<JsonBody | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return apiError(415, 'Send the body as JSON with Content-Type: application/json.');
  }
  const bytes = await readBody(request, maxBytes);
  if (bytes instanceof Response) return bytes;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return { value: JSON.parse(text) as unknown, text };
  } catch (error) {
    return apiError(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
}

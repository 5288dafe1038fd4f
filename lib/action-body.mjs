// The largest body a form or server action may send: Next.js's own limit for actions. Plain
// JavaScript, so that `npm start` (scripts/start.mjs) refuses a larger declared body before Next.js
// reads any of it, and the proxy (lib/request-checks.ts) refuses one that comes without a length.
export const ACTION_BODY_LIMIT = 1024 * 1024;

export const ACTION_BODY_TOO_LARGE = `The request is larger than ${ACTION_BODY_LIMIT / 1024 / 1024} MB, the limit for a form.`;

/** Whether a Content-Length header declares more than `limit` bytes. */
export function declaredTooLarge(contentLength, limit) {
  if (contentLength === null || contentLength === undefined) return false;
  const declared = Number(contentLength);
  return !Number.isFinite(declared) || declared > limit;
}

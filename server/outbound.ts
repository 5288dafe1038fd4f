/**
 * Requests Pattern Ledger makes to addresses an admin typed (webhooks). The target is checked
 * against the outbound policy (lib/outbound-policy.ts) after its name is resolved, every address
 * it resolves to must pass, and the connection goes to the address that was checked (no second
 * lookup, so a name cannot be re-pointed inside between the check and the connection). Redirects
 * are not followed. Whatever goes wrong (a refused address, a name that does not resolve, a
 * closed port, a timeout) is reported in the same words, so a channel cannot be used to map what
 * the server can reach.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  addressAllowed,
  checkTargetUrl,
  hostAllowed,
  type OutboundPolicy,
} from '@/lib/outbound-policy';

export type ResolvedAddress = { address: string; family: number };
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** The one answer for a target that is refused or cannot be reached. */
export const UNREACHABLE = 'the receiver could not be reached (or its address is not allowed)';

export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
  constructor() {
    super(UNREACHABLE);
  }
}

export type PinnedTarget = { url: URL; address: ResolvedAddress };

/** The target and the one address to connect to, or null when it may not be reached. */
export async function resolveTarget(
  target: string,
  policy: OutboundPolicy,
  resolve: Resolver = systemResolver,
): Promise<PinnedTarget | null> {
  const checked = checkTargetUrl(target, policy);
  if (!checked.ok) return null;
  if (checked.literal)
    return {
      url: checked.url,
      address: { address: checked.host, family: checked.host.includes(':') ? 6 : 4 },
    };
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(checked.host);
  } catch {
    return null;
  }
  if (addresses.length === 0) return null;
  const listedName = hostAllowed(checked.host, checked.port, policy);
  // Every address must pass: a name that also points inside is refused whole.
  if (!listedName && !addresses.every((a) => addressAllowed(a.address, checked.port, policy)))
    return null;
  return { url: checked.url, address: addresses[0]! };
}

export type OutboundResponse = { status: number };

/**
 * POSTs `body` to the checked target, connecting only to its pinned address. Throws
 * OutboundRefused for anything short of an HTTP answer; the answer's body is read and dropped.
 */
export async function postChecked(
  target: string,
  policy: OutboundPolicy,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  resolve: Resolver = systemResolver,
): Promise<OutboundResponse> {
  const pinned = await resolveTarget(target, policy, resolve);
  if (!pinned) throw new OutboundRefused();
  const { url, address } = pinned;
  const pinnedLookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((done, fail) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        lookup: pinnedLookup,
        // A fresh connection each time: a pooled one could have been opened to another address.
        agent: false,
        signal: AbortSignal.timeout(init.timeoutMs),
      },
      (response: IncomingMessage) => {
        response.resume();
        response.on('end', () => done({ status: response.statusCode ?? 0 }));
        response.on('error', () => fail(new OutboundRefused()));
      },
    );
    request.on('error', () => fail(new OutboundRefused()));
    request.end(init.body);
  });
}

/**
 * Where Pattern Ledger may send a request of its own (webhooks): public unicast addresses on
 * ports 80, 443 and 1024–65535, unless the operator's allow list (WEBHOOK_ALLOW) names the target.
 * Addresses are classified by ipaddr.js, which knows every special-purpose range (loopback,
 * RFC 1918, link-local, CGNAT, ULA, multicast, unspecified, NAT64, 6to4, Teredo, reserved, …);
 * anything it does not call plain unicast is refused. Pure: resolving names is the caller's job
 * (server/outbound.ts), so these checks can be tested without a network.
 */
import ipaddr from 'ipaddr.js';

export type AllowEntry =
  | { kind: 'range'; range: [ipaddr.IPv4 | ipaddr.IPv6, number]; port: number | null }
  | { kind: 'host'; host: string; port: number | null };

export type OutboundPolicy = { allow: AllowEntry[] };

export const DEFAULT_POLICY: OutboundPolicy = { allow: [] };

/** Ports a target may use without being listed. */
export function isOrdinaryPort(port: number): boolean {
  return port === 80 || port === 443 || (port >= 1024 && port <= 65_535);
}

/** An address as ipaddr.js reads it, IPv4-mapped IPv6 turned into its IPv4 address; null if not one. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Only the canonical forms: the URL parser has already turned 127.1, 2130706433 and 0x7f.0.0.1
  // into 127.0.0.1, and an allow list entry should say what it means.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return null;
  try {
    return ipaddr.process(bare);
  } catch {
    return null;
  }
}

function parsePort(text: string): number | null | 'bad' {
  if (!/^\d{1,5}$/.test(text)) return 'bad';
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : 'bad';
}

/** Splits `host:port`, `[v6]:port`, `v6` or `host` into its parts. */
function splitHostPort(entry: string): { host: string; port: string | null } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? null };
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = entry.split(':');
    return { host: host!, port: port! };
  }
  return { host: entry, port: null };
}

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Reads WEBHOOK_ALLOW: comma-separated addresses, CIDR ranges and host names, each optionally
 * with a port (`10.0.0.0/8`, `192.168.1.20:8080`, `[fd00::1]:9000`, `hooks.internal:8080`).
 * Throws with the entry it could not read.
 */
export function parseAllowList(text: string | undefined): OutboundPolicy {
  const allow: AllowEntry[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      try {
        const range = ipaddr.parseCIDR(entry);
        allow.push({ kind: 'range', range, port: null });
        continue;
      } catch {
        throw new Error(`"${raw.trim()}" is not a CIDR range such as 10.0.0.0/8`);
      }
    }
    const { host, port: portText } = splitHostPort(entry);
    const port = portText === null ? null : parsePort(portText);
    if (port === 'bad') throw new Error(`"${raw.trim()}" has a port that is not 1–65535`);
    const address = parseAddress(host);
    if (address) {
      allow.push({
        kind: 'range',
        range: [address, address.kind() === 'ipv4' ? 32 : 128],
        port,
      });
    } else if (HOST_NAME.test(host)) {
      allow.push({ kind: 'host', host, port });
    } else {
      throw new Error(`"${raw.trim()}" is neither an address, a CIDR range nor a host name`);
    }
  }
  return { allow };
}

/** The port a URL connects to. */
export function urlPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

const portMatches = (entry: AllowEntry, port: number) =>
  entry.port === null ? isOrdinaryPort(port) : entry.port === port;

/** Whether the operator listed this host name (and port): then its addresses are not checked. */
export function hostAllowed(host: string, port: number, policy: OutboundPolicy): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return policy.allow.some(
    (entry) => entry.kind === 'host' && entry.host === name && portMatches(entry, port),
  );
}

/** Whether a request may connect to `address` on `port`. */
export function addressAllowed(address: string, port: number, policy: OutboundPolicy): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  const listed = policy.allow.some(
    (entry) =>
      entry.kind === 'range' &&
      entry.range[0].kind() === parsed.kind() &&
      parsed.match(entry.range) &&
      portMatches(entry, port),
  );
  if (listed) return true;
  return parsed.range() === 'unicast' && !isIpv4Compatible(parsed) && isOrdinaryPort(port);
}

/** `::a.b.c.d` (deprecated IPv4-compatible IPv6): some stacks still reach the IPv4 address. */
function isIpv4Compatible(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return (
    address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)
  );
}

export type TargetCheck =
  { ok: true; url: URL; host: string; port: number; literal: boolean } | { ok: false };

/**
 * The first, name-free part of checking a target: an http(s) URL without credentials whose host,
 * when it is an address, may be reached. A host name still has to be resolved and its every
 * address checked (`addressAllowed`) unless `hostAllowed` says the operator listed it.
 */
export function checkTargetUrl(target: string, policy: OutboundPolicy): TargetCheck {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false };
  if (url.username || url.password) return { ok: false };
  const port = urlPort(url);
  const host = url.hostname;
  const address = parseAddress(host);
  if (address) {
    if (!addressAllowed(host, port, policy)) return { ok: false };
    return { ok: true, url, host: address.toString(), port, literal: true };
  }
  if (!HOST_NAME.test(host.replace(/\.$/, ''))) return { ok: false };
  return { ok: true, url, host, port, literal: false };
}

// Who sent a request, as the server can know it: the connection's peer address, or, when that
// peer is a configured proxy (TRUSTED_PROXIES), the last address in X-Forwarded-For that is not
// one of them. Forwarded headers from anyone else are ignored, so a client cannot pick its own
// address. Plain JavaScript: `npm start` uses it without the dev dependencies.
import { BlockList, isIP } from 'node:net';

/** The header the server sets for the app (any incoming one is replaced). */
export const CLIENT_HEADER = 'x-pattern-ledger-client';

const bare = (address) => (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/** `TRUSTED_PROXIES`: addresses or subnets (10.0.0.0/8, ::1), comma-separated; empty: none. */
export function trustedProxies(setting) {
  const list = new BlockList();
  const entries = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : null;
    if (!family) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or subnet`);
    if (bits === undefined) list.addAddress(address, family);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128))
        throw new Error(`TRUSTED_PROXIES: "${entry}" has an invalid prefix length`);
      list.addSubnet(address, prefix, family);
    }
  }
  return { list, any: entries.length > 0 };
}

const trusts = (proxies, address) => {
  const kind = isIP(address);
  return kind !== 0 && proxies.list.check(address, kind === 6 ? 'ipv6' : 'ipv4');
};

/** The client's address for limits and logs. */
export function clientAddress(peer, forwardedFor, proxies) {
  let address = bare(peer) || 'unknown';
  if (!proxies.any || !trusts(proxies, address)) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => bare(hop.trim()))
    .filter((hop) => isIP(hop) !== 0);
  // From the nearest hop back: the first one that is not a trusted proxy is the client.
  while (hops.length > 0) {
    address = hops.pop();
    if (!trusts(proxies, address)) return address;
  }
  return address;
}

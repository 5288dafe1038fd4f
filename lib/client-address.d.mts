import type { BlockList } from 'node:net';

export const CLIENT_HEADER: 'x-pattern-ledger-client';
export type TrustedProxies = { list: BlockList; any: boolean };
export function trustedProxies(setting: string | undefined): TrustedProxies;
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: TrustedProxies,
): string;

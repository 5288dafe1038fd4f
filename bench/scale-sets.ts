/** The cost curve's three data sets, each in its own database named after the base URL's. */
export const SCALE_SETS = [
  { label: '0.5 M', size: 0.1, suffix: '_0_5m' },
  { label: '5 M', size: 1, suffix: '_5m' },
  { label: '50 M', size: 10, suffix: '_50m' },
] as const;

export type ScaleSet = (typeof SCALE_SETS)[number];

export function scaleDatabaseUrl(base: string, set: ScaleSet): string {
  const url = new URL(base);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}${set.suffix}`;
  return url.toString();
}

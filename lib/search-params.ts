/** A page's query as Next.js hands it over: repeated keys become arrays. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** A request URL's query as the record pages receive (repeated keys become arrays). */
export function searchParamsOf(url: string): SearchParams {
  const out: SearchParams = {};
  for (const [key, value] of new URL(url).searchParams) {
    const existing = out[key];
    out[key] =
      existing === undefined
        ? value
        : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return out;
}

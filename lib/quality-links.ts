/** The page a data-quality row links to. */
export function qualityRowHref(
  link: 'pattern' | 'workflow' | 'savings' | 'status' | 'by-kind',
  row: Record<string, string | number | boolean | null>,
  key: string,
): string {
  const kind = link === 'by-kind' ? String(row.kind) : link;
  const value = String(row[key] ?? '');
  switch (kind) {
    case 'pattern':
      return `/patterns/${encodeURIComponent(value)}`;
    case 'workflow':
      return `/workflows/${encodeURIComponent(value)}`;
    case 'savings':
      return `/savings/${encodeURIComponent(value)}`;
    default:
      return value === ''
        ? '/patterns?range=all'
        : `/patterns?range=all&status=${encodeURIComponent(value)}`;
  }
}

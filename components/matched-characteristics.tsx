import { parseCharacteristics } from '@/lib/matched-characteristics';

/** Matched characteristics as readable key/value pairs; invalid JSON shown raw and marked. */
export function MatchedCharacteristics({ raw }: { raw: string | null }) {
  const parsed = parseCharacteristics(raw);
  if (parsed.kind === 'none') return <span className="text-slate-500 dark:text-slate-400">—</span>;
  if (parsed.kind === 'invalid') {
    return (
      <span className="flex flex-wrap items-center gap-1.5" data-testid="invalid-json">
        <span className="rounded bg-rose-100 px-1 py-0.5 text-[10px] font-semibold uppercase text-rose-800 dark:bg-rose-950 dark:text-rose-300">
          invalid JSON
        </span>
        <code className="break-all text-xs">{parsed.raw}</code>
      </span>
    );
  }
  if (parsed.kind === 'value') return <code className="text-xs">{parsed.text}</code>;
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
      {parsed.entries.map(([key, value]) => (
        <div key={key} className="flex gap-1">
          <dt className="text-slate-500 dark:text-slate-400">{key}:</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

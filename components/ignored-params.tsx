import type { IgnoredParam } from '@/lib/url-params';

/** Says which URL parameters the page set aside, and why, instead of replacing them silently. */
export function IgnoredParams({ ignored }: { ignored: IgnoredParam[] }) {
  if (ignored.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="ignored-params"
      className="mb-4 rounded-md border break-words border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">
        {ignored.length === 1 ? 'One address parameter was' : 'Some address parameters were'}{' '}
        ignored; the page uses the default instead:
      </p>
      <ul className="mt-1 list-disc pl-5">
        {ignored.map((param) => (
          <li key={param.name}>
            <code className="font-mono">{`${param.name}=${param.value}`}</code> {param.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

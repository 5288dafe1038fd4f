import Link from 'next/link';

/** A small segmented choice made of links, so the choice lives in the URL. */
export function LinkToggle({
  label,
  options,
}: {
  label: string;
  options: { label: string; href: string; active: boolean }[];
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="inline-flex rounded-md border border-slate-300 p-0.5 text-xs dark:border-slate-700"
    >
      {options.map((option) => (
        <Link
          key={option.label}
          href={option.href}
          scroll={false}
          aria-current={option.active ? 'true' : undefined}
          className={`rounded px-2 py-0.5 focus-visible:outline-2 focus-visible:outline-sky-500 ${
            option.active
              ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
              : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
          }`}
        >
          {option.label}
        </Link>
      ))}
    </div>
  );
}

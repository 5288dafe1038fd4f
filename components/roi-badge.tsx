import { formatPercent } from '@/lib/format';
import { ROI_LABELS, ROI_RULES, roiRating } from '@/lib/roi';

const STYLES = {
  exceeds: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  'on-track': 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  below: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300',
  'far-short': 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
  'no-estimate': 'border border-dashed border-slate-400 text-slate-700 dark:text-slate-300',
} as const;

/** The actual-to-estimate ratio with its rating; the rule is in the tooltip. */
export function RoiBadge({
  ratio,
  showRatio = true,
}: {
  ratio: number | null;
  showRatio?: boolean;
}) {
  const rating = roiRating(ratio);
  return (
    <span
      className={`badge ${STYLES[rating]}`}
      title={`${ROI_LABELS[rating]}: ${ROI_RULES[rating]}`}
      data-rating={rating}
    >
      {showRatio && ratio !== null ? `${formatPercent(ratio, 0)} · ` : ''}
      {ROI_LABELS[rating]}
    </span>
  );
}

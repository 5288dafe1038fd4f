/**
 * How a pattern's actual savings compare with its estimate: actual monthly rate (USD attributed in
 * the range, scaled to 30 days) divided by potential_monthly_savings. The thresholds are stated
 * on the ROI page and used the same way in SQL (db/queries/roi.ts).
 */
export const ROI_THRESHOLDS = { exceeds: 1, onTrack: 0.75, farShort: 0.25 } as const;

export type RoiRating = 'exceeds' | 'on-track' | 'below' | 'far-short' | 'no-estimate';

export const ROI_LABELS: Record<RoiRating, string> = {
  exceeds: 'Exceeds',
  'on-track': 'On track',
  below: 'Below',
  'far-short': 'Far short',
  'no-estimate': 'No estimate',
};

export const ROI_RULES: Record<RoiRating, string> = {
  exceeds: `actual ≥ ${ROI_THRESHOLDS.exceeds * 100} % of the estimate`,
  'on-track': `${ROI_THRESHOLDS.onTrack * 100} % to ${ROI_THRESHOLDS.exceeds * 100} %`,
  below: `${ROI_THRESHOLDS.farShort * 100} % to ${ROI_THRESHOLDS.onTrack * 100} %`,
  'far-short': `under ${ROI_THRESHOLDS.farShort * 100} %`,
  'no-estimate': 'no positive estimate is stored',
};

/** actual ÷ estimate; null without a positive estimate. */
export function roiRatio(estimatedMonthly: number, actualMonthly: number): number | null {
  return estimatedMonthly > 0 ? actualMonthly / estimatedMonthly : null;
}

export function roiRating(ratio: number | null): RoiRating {
  if (ratio === null) return 'no-estimate';
  if (ratio >= ROI_THRESHOLDS.exceeds) return 'exceeds';
  if (ratio >= ROI_THRESHOLDS.onTrack) return 'on-track';
  if (ratio >= ROI_THRESHOLDS.farShort) return 'below';
  return 'far-short';
}

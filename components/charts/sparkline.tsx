/** A tiny column chart drawn on the server: equal slices of the range, zero as an empty slot. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  return (
    <svg
      role="img"
      aria-label={label}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="text-sky-600 dark:text-sky-400"
      data-testid="sparkline"
    >
      <path d={`M0 ${HEIGHT - 0.5}H${WIDTH}`} stroke="currentColor" strokeOpacity={0.25} />
      <path d={columnsPath(values)} fill="currentColor" />
    </svg>
  );
}

const WIDTH = 64;
const HEIGHT = 24;

/** All columns as one path (one element per row, not one per slice), to a tenth of a pixel. */
export function columnsPath(values: readonly number[]): string {
  const max = Math.max(...values, 0);
  if (max === 0) return '';
  const slot = WIDTH / values.length;
  const width = round(Math.max(slot - 1, 1));
  return values
    .map((value, index) => {
      if (value === 0) return '';
      const height = round(Math.max(1.5, (value / max) * (HEIGHT - 2)));
      return `M${round(index * slot + 0.5)} ${HEIGHT}v-${height}h${width}v${height}z`;
    })
    .join('');
}

const round = (n: number) => Math.round(n * 10) / 10;

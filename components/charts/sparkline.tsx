/** A tiny column chart drawn on the server: equal slices of the range, zero as an empty slot. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const max = Math.max(...values, 0);
  const width = 64;
  const height = 24;
  const slot = width / Math.max(values.length, 1);
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="text-sky-600 dark:text-sky-400"
      data-testid="sparkline"
    >
      <line
        x1={0}
        x2={width}
        y1={height - 0.5}
        y2={height - 0.5}
        stroke="currentColor"
        strokeOpacity={0.25}
      />
      {values.map((value, index) => {
        if (value === 0 || max === 0) return null;
        const h = Math.max(1.5, (value / max) * (height - 2));
        return (
          <rect
            key={index}
            x={index * slot + 0.5}
            y={height - h}
            width={Math.max(slot - 1, 1)}
            height={h}
            fill="currentColor"
          />
        );
      })}
    </svg>
  );
}

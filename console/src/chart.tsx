import { useEffect, useRef } from 'preact/hooks';

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
}

/**
 * A uPlot chart, loaded on first use so the first page stays small. `x` is either category labels
 * (one bar series) or epoch seconds (a time series, any number of lines). The figure carries a text summary for screen readers.
 */
export const Chart = ({
  title,
  x,
  series,
  kind,
  summary,
  xLabel,
  yMax,
  xTick,
}: {
  title: string;
  /** The legend's name for x (time charts only; bar charts need no legend). */
  xLabel?: string;
  /** A fixed top of the y scale, e.g. 100 for percentages. */
  yMax?: number;
  /**
   * Time charts of calendar periods (days, weeks, months): label the axis and legend at the data's
   * own points with this, instead of uPlot's clock ticks (no "6am" between two days).
   */
  xTick?: (seconds: number) => string;
  x: string[] | number[];
  series: ChartSeries[];
  kind: 'bars' | 'time';
  summary: string;
}) => {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    import('uplot').then(({ default: uPlot }) => {
      const element = host.current;
      if (cancelled || !element) return;
      const categories = kind === 'bars' ? (x as string[]) : undefined;
      const xs = categories ? categories.map((_, i) => i) : (x as number[]);
      const width = () => Math.max(260, element.clientWidth);
      // At most about eight labels, and a single point gets a little room on either side.
      const every = Math.max(1, Math.ceil(xs.length / 8));
      const periodAxis = xTick && !categories;
      const single = periodAxis && xs.length === 1 ? (xs[0] as number) : undefined;
      const bars = uPlot.paths.bars?.({ size: [0.6, 64] });
      const made = new uPlot(
        {
          width: width(),
          height: 220,
          scales: {
            x: {
              time: kind === 'time',
              ...(categories ? { range: [-0.5, categories.length - 0.5] } : {}),
              ...(single !== undefined ? { range: [single - 43_200, single + 43_200] } : {}),
            },
            y: { range: (_u, _min, max) => [0, yMax ?? Math.max(1, max)] },
          },
          axes: [
            categories
              ? {
                  values: (_u, splits) => splits.map((s) => categories[s] ?? ''),
                  splits: () => xs,
                  grid: { show: false },
                }
              : periodAxis
                ? {
                    splits: () => xs.filter((_, i) => i % every === 0),
                    values: (_u, splits) => splits.map((s) => xTick(s)),
                  }
                : {},
            { size: 48 },
          ],
          series: [
            {
              label: xLabel ?? '',
              ...(periodAxis
                ? { value: (_u: unknown, v: number | null) => (v == null ? '--' : xTick(v)) }
                : {}),
            },
            ...series.map((s) => ({
              label: s.label,
              stroke: s.color,
              fill: kind === 'bars' ? s.color : `${s.color}33`,
              width: 2,
              ...(kind === 'bars' && bars ? { paths: bars, points: { show: false } } : {}),
            })),
          ],
          legend: { show: kind === 'time' },
        },
        [xs, ...series.map((s) => s.values)],
        element,
      );
      chart = made;
      observer = new ResizeObserver(() => made.setSize({ width: width(), height: 220 }));
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart?.destroy();
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: redraw only when the data, not the array identity, changes
  }, [JSON.stringify({ x, series, kind, xLabel, yMax })]);
  return (
    <figure class="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={summary} />
    </figure>
  );
};

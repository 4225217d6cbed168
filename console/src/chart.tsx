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
}: {
  title: string;
  /** The legend's name for x (time charts only; bar charts need no legend). */
  xLabel?: string;
  /** A fixed top of the y scale, e.g. 100 for percentages. */
  yMax?: number;
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
      const bars = uPlot.paths.bars?.({ size: [0.6, 64] });
      const made = new uPlot(
        {
          width: width(),
          height: 220,
          scales: {
            x: { time: kind === 'time', ...(categories ? { range: [-0.5, categories.length - 0.5] } : {}) },
            y: { range: (_u, _min, max) => [0, yMax ?? Math.max(1, max)] },
          },
          axes: [
            categories
              ? {
                  values: (_u, splits) => splits.map((s) => categories[s] ?? ''),
                  splits: () => xs,
                  grid: { show: false },
                }
              : {},
            { size: 48 },
          ],
          series: [
            { label: xLabel ?? '' },
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

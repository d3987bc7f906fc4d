import uPlot from 'uplot';
import type { Unit, Visual } from '../../../lib/dashboard/definition';
import type { VisualRows } from '../wire';
import { formatValue } from './format';

/**
 * A line or bar chart of one visual with uPlot (about 50 KB minified, canvas, made for time series that
 * update in place): x is the visual's time column, one series per measure, one y scale per unit (the
 * first on the left axis, a second on the right).
 */

const COLOURS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626'];

export class TimeChart {
  private readonly plot: uPlot;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly visual: Visual,
    private readonly container: HTMLElement,
  ) {
    const units = [...new Set(visual.measures.map((m) => m.unit))];
    const bars = visual.kind === 'bar' ? uPlot.paths.bars?.({ size: [0.7, 40] }) : undefined;
    const { width, height } = this.size();
    this.plot = new uPlot(
      {
        width,
        height,
        legend: { live: false },
        // Times in UTC, as the rows and the day filters are.
        tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          ...Object.fromEntries(
            units.map((u) => [u, { range: (_u: uPlot, _min: number, max: number) => [0, niceMax(max, u)] }]),
          ),
        },
        series: [
          {},
          ...visual.measures.map((m, i) => ({
            label: m.label,
            scale: m.unit,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            ...(bars ? { paths: bars, fill: `${COLOURS[i % COLOURS.length]}99` } : {}),
            value: (_: uPlot, v: number | null) => formatValue(v, m.unit),
          })),
        ],
        axes: [
          {},
          ...units.slice(0, 2).map((unit: Unit, i) => ({
            scale: unit,
            side: i === 0 ? 3 : 1,
            grid: { show: i === 0 },
            size: 72,
            // Whole contacts and seconds: no fractional ticks.
            ...(unit === 'percent'
              ? {}
              : { incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] }),
            values: (_: uPlot, ticks: number[]) => ticks.map((t) => formatValue(t, unit)),
          })),
        ],
      },
      [[], ...visual.measures.map(() => [])],
      container,
    );
    this.resize = new ResizeObserver(() => this.plot.setSize(this.size()));
    this.resize.observe(container);
  }

  /**
   * Shows `data` (the visual's rows: the time first, then one value per measure) over `window` (epoch
   * seconds: the whole day so far for today's curves, so the first minutes do not fill the chart).
   */
  update(data: VisualRows, window: { min: number; max: number }): void {
    const timeIndex = data.columns.length - this.visual.measures.length - 1;
    const xs = data.rows.map((r) => Date.parse(String(r[timeIndex])) / 1000);
    const ys = this.visual.measures.map((_, i) =>
      data.rows.map((r) => {
        const v = r[timeIndex + 1 + i];
        return typeof v === 'number' ? v : null;
      }),
    );
    this.plot.setData([xs, ...ys] as uPlot.AlignedData, false);
    this.plot.setScale('x', window);
    this.container.dataset.points = String(xs.length);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
  }

  private size(): { width: number; height: number } {
    return {
      width: Math.max(200, this.container.clientWidth),
      height: Math.max(120, this.container.clientHeight - 40),
    };
  }
}

/** The top of a y scale from zero: 100 for percentages, else a little above the largest value. */
function niceMax(max: number | null, unit: Unit): number {
  if (unit === 'percent') return 100;
  if (max === null || !Number.isFinite(max) || max <= 0) return unit === 'seconds' ? 60 : 5;
  return Math.ceil(max * 1.1);
}

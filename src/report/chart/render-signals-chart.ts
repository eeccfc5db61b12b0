import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_PANELS, type SignalsChartData } from './signals-chart-data.js';

/**
 * The chart as SVG, rendered by vega in Node (no browser, no canvas: text is measured by estimate).
 * Loaded only by `inc postmortem`, through a dynamic import, so vega stays out of every other command.
 */
export async function renderSignalsChart(data: SignalsChartData): Promise<string> {
  const view = new View(parse(compile(chartSpec(data)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Three panels sharing the time axis (UTC), one line per workload, the incident's milestones as rules. */
export function chartSpec(data: SignalsChartData): TopLevelSpec {
  // 24-hour UTC labels, as the timeline beside the chart: the default labels are 12-hour, without AM/PM.
  const time = {
    field: 'at',
    type: 'temporal',
    title: 'UTC',
    scale: { type: 'utc' },
    // Seconds only for a tick between minutes (a short incident's 30 s ticks).
    axis: { labelExpr: "utcFormat(datum.value, datum.value % 60000 ? '%H:%M:%S' : '%H:%M')" },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: data.title,
    background: 'white',
    vconcat: CHART_PANELS.map((panel) => ({
      width: 640,
      height: 120,
      layer: [
        {
          data: { values: data.points.filter((p) => p.panel === panel) },
          mark: { type: 'line', point: true, interpolate: 'monotone' },
          encoding: {
            x: time,
            y: { field: 'value', type: 'quantitative', title: panel },
            color: { field: 'workload', type: 'nominal', title: 'workload' },
          },
        },
        {
          data: { values: data.marks },
          mark: { type: 'rule', strokeDash: [4, 3], color: '#888' },
          encoding: { x: time },
        },
        {
          data: { values: data.marks },
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, fontSize: 10, color: '#555' },
          encoding: { x: time, y: { value: 0 }, text: { field: 'label' } },
        },
      ],
    })),
  } as TopLevelSpec;
}

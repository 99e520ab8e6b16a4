/**
 * Charts as PNGs (poll results, the digest's activity):  chart.js drawing on @napi-rs/canvas (a prebuilt native
 * canvas, no browser). No animation, a fixed size and pixel ratio and the system's fonts
 * (nothing fetched), so the same results give the same image. Both libraries are loaded on
 * first use: where the canvas cannot load (a platform without its prebuilt binary) the caller
 * posts the results without a chart.
 */
export interface ChartInput {
  title: string;
  labels: string[];
  values: number[];
}

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
}

export const CHART_WIDTH = 800;
const ROW_HEIGHT = 48;
const CHROME_HEIGHT = 110;
const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
const BAR_COLOR = '#5865F2';
const WINNER_COLOR = '#3BA55C';

type Libraries = { createCanvas: typeof import('@napi-rs/canvas').createCanvas; Chart: typeof import('chart.js').Chart };
let libraries: Promise<Libraries> | undefined;

async function load(): Promise<Libraries> {
  const [canvas, chartjs] = await Promise.all([import('@napi-rs/canvas'), import('chart.js')]);
  const { Chart, BarController, BarElement, CategoryScale, LinearScale, Title, LineController, LineElement, PointElement, Legend } = chartjs;
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title, LineController, LineElement, PointElement, Legend);
  return { createCanvas: canvas.createCanvas, Chart };
}

const shorten = (text: string, max: number) => ([...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`);

function libs(): Promise<Libraries> {
  libraries ??= load().catch((error: unknown) => {
    libraries = undefined;
    throw error;
  });
  return libraries;
}

/** A horizontal bar chart, one row per label, the largest value in green (poll results). */
export async function renderBarChart(input: ChartInput): Promise<RenderedChart> {
  const { createCanvas, Chart } = await libs();
  const width = CHART_WIDTH;
  const height = CHROME_HEIGHT + ROW_HEIGHT * input.labels.length;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  // A white background: the PNG would otherwise be transparent, unreadable in dark themes.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  const max = Math.max(0, ...input.values);
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: {
      labels: input.labels.map((label) => shorten(label, 40)),
      datasets: [{ data: input.values, backgroundColor: input.values.map((v) => (v === max && max > 0 ? WINNER_COLOR : BAR_COLOR)), borderRadius: 4 }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      events: [],
      font: { family: FONT, size: 14 },
      layout: { padding: { left: 8, right: 24, top: 8, bottom: 8 } },
      scales: {
        x: { beginAtZero: true, suggestedMax: Math.max(1, max), ticks: { precision: 0, font: { family: FONT, size: 13 } } },
        y: { ticks: { font: { family: FONT, size: 14 } } },
      },
      plugins: {
        legend: { display: false },
        title: { display: true, text: shorten(input.title, 90), font: { family: FONT, size: 17, weight: 'bold' }, color: '#222222' },
      },
    },
  });
  try {
    return { png: canvas.toBuffer('image/png'), width, height };
  } finally {
    chart.destroy();
  }
}

export interface ActivityChartInput {
  title: string;
  /** One label per day, oldest first. */
  labels: string[];
  /** Bars (e.g. messages per day) and a line (e.g. active members per day), with their legend names. */
  bars: { label: string; values: number[] };
  line: { label: string; values: number[] };
}

export const ACTIVITY_CHART_HEIGHT = 360;

/** Daily activity: bars for one series and a line for another on the same axis (the digest's last 14 days). */
export async function renderActivityChart(input: ActivityChartInput): Promise<RenderedChart> {
  const { createCanvas, Chart } = await libs();
  const width = CHART_WIDTH;
  const height = ACTIVITY_CHART_HEIGHT;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  const max = Math.max(1, ...input.bars.values, ...input.line.values);
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: {
      labels: input.labels,
      datasets: [
        { type: 'bar', label: input.bars.label, data: input.bars.values, backgroundColor: BAR_COLOR, borderRadius: 3, order: 2 },
        { type: 'line', label: input.line.label, data: input.line.values, borderColor: WINNER_COLOR, backgroundColor: WINNER_COLOR, borderWidth: 3, pointRadius: 3, order: 1 },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      events: [],
      font: { family: FONT, size: 13 },
      layout: { padding: { left: 8, right: 16, top: 8, bottom: 8 } },
      scales: {
        x: { ticks: { font: { family: FONT, size: 12 } } },
        y: { beginAtZero: true, suggestedMax: max, ticks: { precision: 0, font: { family: FONT, size: 12 } } },
      },
      plugins: {
        legend: { display: true, position: 'bottom', labels: { font: { family: FONT, size: 13 } } },
        title: { display: true, text: shorten(input.title, 90), font: { family: FONT, size: 17, weight: 'bold' }, color: '#222222' },
      },
    },
  });
  try {
    return { png: canvas.toBuffer('image/png'), width, height };
  } finally {
    chart.destroy();
  }
}

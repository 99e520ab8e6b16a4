// The results chart moved to the shared chart module (the digest draws with it too).
export { CHART_WIDTH, renderBarChart, type ChartInput, type RenderedChart } from '../charts/index.js';

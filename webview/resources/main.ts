import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { formatBytes, toGiB } from '../../src/core/format';
import type { ResourceSample } from '../../src/core/monitor/sample';
import type { ResourcesHostMessage, ResourcesWebviewMessage, TrialUsage } from '../../src/messages/resources';
import { el, onThemeChange, vscodeApi } from '../shared/vscodeApi';
import { cpuChart, gpuChart, memoryChart, setChartHeight, type LiveChart } from './charts';
import { fittedChartHeight, isCompact } from './layout';
import { mountOwners } from './owners';
import { mountClusters } from './cluster';

const vscode = vscodeApi<never>();
const post = (message: ResourcesWebviewMessage) => vscode.postMessage(message);

let samples: ResourceSample[] = [];
let historySeconds = 300;
let charts: { cpu?: LiveChart; memory?: LiveChart; gpu?: LiveChart } = {};

function section(id: string, heading: string): { box: HTMLElement & { description: string }; chart: HTMLElement } {
  const box = document.createElement('vscode-collapsible') as HTMLElement & {
    heading: string;
    description: string;
    open: boolean;
  };
  box.id = `section-${id}`;
  box.heading = heading;
  box.open = true;
  const chart = el('div', { className: 'chart', attrs: { id: `chart-${id}`, role: 'img', 'data-points': '0' } });
  box.append(chart);
  return { box, chart };
}

const cpu = section('cpu', 'CPU');
const memory = section('memory', 'Memory');
const gpu = section('gpu', 'GPU');
gpu.box.hidden = true;
const trials = section('trials', 'Running trials');
trials.chart.className = 'trials';
trials.chart.removeAttribute('role');
trials.box.hidden = true;
const status = el('p', { className: 'status', text: 'Waiting for the first reading…', attrs: { role: 'status' } });
const owners = mountOwners(post);
const clusters = mountClusters();
document.body.append(el('main', {}, [status, cpu.box, memory.box, owners.box, gpu.box, trials.box, clusters.box]));

function build(): void {
  for (const chart of Object.values(charts)) chart?.destroy();
  const cores = samples.at(-1)?.cpu.cores.length ?? 0;
  const gpus = Math.max(0, ...samples.map((s) => s.gpus.length));
  charts = { cpu: cpuChart(cpu.chart, cores), memory: memoryChart(memory.chart) };
  gpu.box.hidden = gpus === 0;
  if (gpus > 0) charts.gpu = gpuChart(gpu.chart, gpus);
  refresh();
  fit();
}

function refresh(): void {
  const last = samples.at(-1);
  if (!last) return;
  status.hidden = true;
  for (const chart of Object.values(charts)) chart?.setSamples(samples);
  cpu.box.description = `${Math.round(last.cpu.percent)}% of ${last.cpu.cores.length} cores`;
  memory.box.description = `${toGiB(last.memory.usedBytes)} of ${toGiB(last.memory.totalBytes)} GiB used, ${formatBytes(last.memory.availableBytes)} available${last.memory.source === 'cgroup' ? ' (container limit)' : ''}`;
  if (last.gpus.length > 0) {
    gpu.box.description = last.gpus.map((g) => `${g.name} ${g.utilizationPercent ?? '?'}%`).join(', ');
  }
}

function append(sample: ResourceSample): void {
  const previous = samples.at(-1);
  samples.push(sample);
  const cutoff = sample.timestamp - historySeconds * 1000;
  while (samples.length > 0 && samples[0].timestamp < cutoff) samples.shift();
  // A new core or GPU count changes the series, which uPlot fixes at creation.
  const reshaped =
    !previous || previous.cpu.cores.length !== sample.cpu.cores.length || (sample.gpus.length > 0 && !charts.gpu);
  if (reshaped) build();
  else refresh();
}

function renderTrials(list: TrialUsage[]): void {
  trials.box.hidden = list.length === 0;
  trials.box.description = `${list.length} running`;
  const rows = list.map((t) =>
    el('tr', {}, [
      el('td', { text: t.label }),
      el('td', { className: 'num', text: `${Math.round(t.cpuPercent)}%` }),
      el('td', { className: 'num', text: formatBytes(t.rssBytes) }),
    ]),
  );
  const head = el('tr', {}, [
    el('th', { text: 'Trial' }),
    el('th', { className: 'num', text: 'CPU' }),
    el('th', { className: 'num', text: 'Memory' }),
  ]);
  trials.chart.replaceChildren(el('table', {}, [el('thead', {}, [head]), el('tbody', {}, rows)]));
}

window.addEventListener('message', (event: MessageEvent<ResourcesHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      samples = message.history;
      historySeconds = message.historySeconds;
      build();
      break;
    case 'sample':
      append(message.sample);
      break;
    case 'settings':
      historySeconds = message.historySeconds;
      break;
    case 'trials':
      renderTrials(message.trials);
      break;
    case 'owners':
    case 'ownersHistory':
    case 'revealOwner':
      owners.receive(message);
      break;
    case 'clusters':
      clusters.render(message.clusters);
      break;
  }
});

/**
 * The sidebar shares its height with the Runs and Datasets views: the charts get shorter so that
 * every open one fits (down to a floor; below that the view scrolls), instead of the memory chart
 * being cut off below the fold.
 */
function fit(): void {
  const sections = [cpu, memory, gpu].filter((s) => !s.box.hidden);
  // A short view drops the legends (the section headers carry the numbers) to leave the plots room.
  document.body.classList.toggle('compact', isCompact(window.innerHeight, sections.length));
  // Measured: a section's height less its plot's (header, legend; the legend may wrap in a narrow view).
  const plotted = sections.filter((s) => s.chart.querySelector('canvas'));
  const chrome = plotted.length
    ? Math.max(...plotted.map((s) => s.box.offsetHeight - (s.chart.querySelector('canvas')?.clientHeight ?? 0)))
    : undefined;
  const height = fittedChartHeight(
    window.innerHeight,
    sections.length,
    // The run's sections share the height too: the Cluster table is not pushed below the fold.
    [trials.box, clusters.box].reduce((px, box) => px + (box.hidden ? 0 : box.offsetHeight), 0),
    chrome,
  );
  setChartHeight(height);
  document.body.dataset.chartHeight = String(height);
  for (const chart of Object.values(charts)) chart?.resize(chart.host.clientWidth, height);
}
new ResizeObserver(fit).observe(document.body);
window.addEventListener('resize', fit);
onThemeChange(build);
post({ type: 'ready' });

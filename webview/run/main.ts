/**
 * The run panel: progress, the concurrency and its reason, actions, rungs (halving), charts and the
 * trials table. It keeps its own RunModel: a snapshot on load, then event batches applied
 * incrementally (changed rows only, one paint per frame).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { RunTrialRow } from '../../src/core/runView/viewTypes';
import type { RunEvent } from '../../src/core/tuning/events';
import type { RunPanelHostMessage, RunPanelState, RunPanelWebviewMessage } from '../../src/messages/runPanel';
import { isFinished, paramNames, RunModel, USAGE_POINTS_KEPT } from '../../src/core/runView/runModel';
import {
  bestText,
  describeConcurrency,
  formatMetric,
  formatParams,
  progressText,
  runStatusText,
} from '../../src/core/runView/reasons';
import type { ColumnKey, SortOrder } from '../../src/core/runView/trialTable';
import { el, onThemeChange, vscodeApi } from '../shared/vscodeApi';
import { halvingBestNote } from '../../src/core/runView/chartSeries';
import { runActions } from '../../src/core/runView/runActions';
import { MetricChart, UsageChart } from './charts';
import { TrialsGrid } from './table';

const vscode = vscodeApi<RunPanelState>();
const post = (message: RunPanelWebviewMessage) => vscode.postMessage(message);
const initial = (vscode.getState() ?? JSON.parse(document.body.dataset.state || '{}')) as RunPanelState;
// The state names the run: VS Code hands it to the serializer after a window reload.
vscode.setState(initial);

let model: RunModel | null = null;
let trusted = true;
let params: string[] = [];
let metricChart: MetricChart | null = null;
let usageChart: UsageChart | null = null;
let chartsDirty = false;
let headerDirty = false;
let frame = 0;

type ButtonEl = HTMLElement & { disabled: boolean; icon: string; secondary: boolean };
function button(id: string, label: string, icon: string, message: RunPanelWebviewMessage, secondary = true): ButtonEl {
  const b = document.createElement('vscode-button') as ButtonEl;
  b.id = id;
  b.icon = icon;
  b.secondary = secondary;
  b.textContent = label;
  b.addEventListener('click', () => !b.disabled && post(message));
  return b;
}

const title = el('h1', { text: 'Loading run…' });
const statusLine = el('p', { className: 'status-line', attrs: { id: 'run-status' } });
const progress = document.createElement('vscode-progress-bar') as HTMLElement & {
  value: number;
  max: number;
  indeterminate: boolean;
};
progress.setAttribute('aria-label', 'Trials finished');
const concurrency = el('p', {
  className: 'concurrency',
  attrs: { id: 'concurrency', role: 'status', 'aria-live': 'polite' },
});
const bestLine = el('p', { className: 'best-line', attrs: { id: 'best' } });
const runError = el('p', { className: 'run-error', attrs: { id: 'run-error', role: 'alert', hidden: '' } });
const buttons = {
  stop: button('stop', 'Stop', 'debug-stop', { type: 'stop' }, false),
  resume: button('resume', 'Resume', 'debug-continue', { type: 'resume' }, false),
  copy: button('copy-best', 'Copy best params', 'copy', { type: 'copyBestParams' }),
  log: button('open-log', 'Open log', 'output', { type: 'openLog' }),
  spec: button('open-spec', 'Open spec', 'go-to-file', { type: 'openSpec' }),
};
const trustNote = el('p', {
  className: 'trust-note',
  text: 'Restricted Mode: trust this workspace to resume runs (they execute its Python code).',
});
// A run controlled elsewhere (a joblib search in the user's own process) says so, instead of offering controls.
const sourceNote = el('p', { className: 'source-note', attrs: { id: 'source-note', hidden: '' } });
const rungs = el('ol', { className: 'rungs', attrs: { id: 'rungs', 'aria-label': 'Halving rungs' } });
const rungBox = el('section', { className: 'rung-box', attrs: { hidden: '' } }, [
  el('h2', { text: 'Rungs (successive halving)' }),
  rungs,
]);
const metricHost = el('div', { className: 'chart', attrs: { id: 'chart-metric', role: 'img' } });
const usageHost = el('div', { className: 'chart', attrs: { id: 'chart-usage', role: 'img' } });
const usageNote = el('p', {
  className: 'chart-note',
  text: 'No memory and CPU readings were recorded for this run.',
});

const grid = new TrialsGrid('metric', toOrder(initial.sort), initial.filter ?? '', {
  onSortChange: (order) => vscode.setState({ ...(vscode.getState() ?? initial), sort: order }),
  onFilterChange: (filter) => vscode.setState({ ...(vscode.getState() ?? initial), filter }),
  onOpenLog: (trialId) => post({ type: 'openLog', trialId }),
  onStopTrial: (trialId) => post({ type: 'stopTrial', trialId }),
});

document.body.append(
  el('main', {}, [
    el('header', {}, [
      title,
      statusLine,
      progress,
      runError,
      bestLine,
      concurrency,
      el('div', { className: 'actions' }, Object.values(buttons)),
      trustNote,
      sourceNote,
    ]),
    rungBox,
    el('section', { className: 'charts' }, [metricHost, el('div', {}, [usageHost, usageNote])]),
    grid.element,
  ]),
);

function toOrder(sort: RunPanelState['sort']): SortOrder {
  return sort ? { column: sort.column as ColumnKey, direction: sort.direction } : { column: 'id', direction: 'asc' };
}

function renderHeader(): void {
  if (!model) return;
  const h = model.header;
  const finished = model.finished();
  const counts = model.counts();
  title.textContent = h.name;
  const failed = (counts.failed ?? 0) + (counts.timeout ?? 0) + (counts.killed ?? 0);
  statusLine.textContent = [
    runStatusText(h.status),
    `${progressText(finished, h.total)} trials finished`,
    `${counts.running ?? 0} running`,
    `${counts.queued ?? 0} queued`,
    failed ? `${failed} failed` : '',
    counts.cached ? `${counts.cached} cached` : '',
    counts.pruned ? `${counts.pruned} pruned` : '',
    `${h.search} search, ${h.mode === 'max' ? 'maximizing' : 'minimizing'} ${h.metric}`,
  ]
    .filter(Boolean)
    .join(' · ');
  progress.max = Math.max(1, h.total);
  progress.value = finished;
  const bestRung = model.best ? (model.trials.get(model.best.trialId)?.rung ?? 0) : 0;
  bestLine.textContent = model.best
    ? `${bestText(h.metric, model.best)} — ${model.best.trialId}: ${formatParams(model.best.params)}` +
      (h.search === 'halving' ? ` (${halvingBestNote(bestRung)})` : '')
    : bestText(h.metric, null);
  runError.hidden = !h.error;
  runError.textContent = h.error ?? '';
  const decision = model.latestDecision();
  concurrency.hidden = h.status !== 'running' || !decision;
  if (decision) concurrency.textContent = decision.reason || describeConcurrency(decision);
  const live = h.status === 'running';
  // Only the actions that work for this kind of run are shown (a joblib search: no resume, no logs).
  const can = runActions(h);
  buttons.stop.hidden = !can.stop;
  buttons.resume.hidden = !can.resume;
  buttons.log.hidden = !can.logs;
  if (buttons.spec.textContent !== can.openSource) buttons.spec.textContent = can.openSource;
  sourceNote.hidden = !can.note;
  sourceNote.textContent = can.note;
  grid.setActions(can);
  buttons.stop.disabled = !live;
  buttons.resume.disabled = live || h.status === 'done' || !trusted;
  buttons.copy.disabled = !model.best;
  trustNote.hidden = !can.resume || trusted || live || h.status === 'done';
  usageNote.hidden = live || model.usage.length > 0;
  renderRungs();
}

function renderRungs(): void {
  const info = model?.header.search === 'halving' ? model.rungInfo() : [];
  if (!model || info.length === 0) {
    rungBox.hidden = true;
    return;
  }
  rungBox.hidden = false;
  const byRung = new Map<number, RunTrialRow[]>();
  for (const row of model.trials.values()) byRung.set(row.rung, [...(byRung.get(row.rung) ?? []), row]);
  rungs.replaceChildren(
    ...info.map((r) => {
      const rows = byRung.get(r.rung) ?? [];
      const done = rows.filter((t) => isFinished(t.status)).length;
      const best = rows.reduce<RunTrialRow | null>((b, t) => {
        if (t.value === null) return b;
        if (!b || b.value === null) return t;
        return (model!.header.mode === 'max' ? t.value > b.value : t.value < b.value) ? t : b;
      }, null);
      const share = `${Math.round(r.fraction * 1000) / 10}% of the data`;
      return el('li', {
        text: `Rung ${r.rung}: ${r.candidates} candidate${r.candidates === 1 ? '' : 's'} on ${share}, ${done} finished${best ? `, best ${model!.header.metric} ${formatMetric(best.value)} (${best.trialId})` : ''}`,
      });
    }),
  );
}

function schedule(): void {
  frame ||= requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  if (headerDirty) renderHeader();
  if (chartsDirty) {
    metricChart?.flush();
    usageChart?.flush();
  }
  headerDirty = chartsDirty = false;
}

function buildCharts(): void {
  metricChart?.destroy();
  usageChart?.destroy();
  if (!model) return;
  metricChart = new MetricChart(metricHost, model.header.metric, model.header.mode, model.header.search);
  metricChart.reset(model.rows(), model.best?.trialId ?? null);
  usageChart = new UsageChart(usageHost);
  usageChart.reset(model.usage.slice(-USAGE_POINTS_KEPT), model.decisions);
  metricChart.flush();
  usageChart.flush();
}

function applySnapshot(message: Extract<RunPanelHostMessage, { type: 'snapshot' }>): void {
  model = RunModel.fromSnapshot(message.snapshot);
  trusted = message.snapshot.trusted;
  params = paramNames(model.trials.values());
  grid.setMetric(model.header.metric);
  grid.setBest(model.best?.trialId ?? null);
  grid.reset(model.rows(), params);
  buildCharts();
  renderHeader();
  document.body.dataset.ready = 'true';
}

function applyEvents(events: RunEvent[]): void {
  if (!model) return;
  const changed = new Set<RunTrialRow>();
  for (const event of events) {
    const change = model.apply(event);
    for (const row of change.trials) changed.add(row);
    if (event.type === 'trialFinished') metricChart?.add(model.trials.get(event.record.trialId)!);
    if (change.best) {
      metricChart?.setBest(model.best?.trialId ?? null);
      grid.setBest(model.best?.trialId ?? null);
    }
    if (change.usage) usageChart?.add(change.usage);
    if (change.decision) usageChart?.addDecision(change.decision);
    if (change.trials.length || change.header || change.best || change.decision || change.rung) headerDirty = true;
    if (event.type === 'trialFinished' || change.usage || change.decision) chartsDirty = true;
  }
  const names = paramNames(changed);
  if (names.some((n) => !params.includes(n))) params = [...params, ...names.filter((n) => !params.includes(n))];
  grid.update(changed, params);
  schedule();
}

window.addEventListener('message', (event: MessageEvent<RunPanelHostMessage>) => {
  const message = event.data;
  if (!message || typeof message !== 'object') return;
  switch (message.type) {
    case 'snapshot':
      applySnapshot(message);
      break;
    case 'events':
      applyEvents(message.events);
      break;
    case 'trust':
      trusted = message.trusted;
      headerDirty = true;
      schedule();
      break;
  }
});

new ResizeObserver(() => {
  metricChart?.resize(metricHost.clientWidth);
  usageChart?.resize(usageHost.clientWidth);
}).observe(document.body);
onThemeChange(buildCharts);
post({ type: 'ready' });

import '@vscode-elements/elements/dist/vscode-button/index.js';
import './style.css';
import { formatBytes, formatCount, formatUncertainty } from '../../src/core/format';
import type { DatasetMemoryPlan, DatasetSnippet, DatasetView } from '../../src/core/footprint/viewTypes';
import type { DatasetHostMessage, DatasetWebviewMessage } from '../../src/messages/dataset';
import { el, vscodeApi } from '../shared/vscodeApi';
import { renderColumns, type SortState } from './columns';
import { renderBars } from './bars';

type State = { sort: SortState };
const vscode = vscodeApi<State>();
const post = (message: DatasetWebviewMessage) => vscode.postMessage(message);
let sort: SortState = vscode.getState()?.sort ?? { key: 'bytes', descending: true };
let view: DatasetView | undefined;

const title = el('h1', { text: 'Dataset memory' });
const meta = el('p', { className: 'meta' });
const note = el('p', { className: 'note', attrs: { hidden: '' } });
const warnings = el('ul', { className: 'note warnings', attrs: { hidden: '' } });
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const progress = el(
  'div',
  {
    className: 'progress',
    attrs: {
      role: 'progressbar',
      'aria-label': 'Scan progress',
      'aria-valuemin': '0',
      'aria-valuemax': '100',
      hidden: '',
    },
  },
  [el('div', { className: 'progress-fill' })],
);
const cancel = button('Cancel', 'Stop the scan', () => post({ type: 'cancel' }), true);
cancel.hidden = true;
const refresh = button('Rescan', 'Scan the file again', () => post({ type: 'refresh' }), true);
const errorBox = el('div', { className: 'error', attrs: { role: 'alert', hidden: '' } });
const summary = el('dl', { className: 'summary', attrs: { id: 'summary' } });
const columnsBox = el('div', { className: 'columns' });
const barsBox = el('div', { className: 'bars', attrs: { id: 'chart' } });
const codeBox = el('div', { className: 'code-box' });
const sparseBox = el('div', { className: 'code-box' });
const memoryBox = el('div', { className: 'memory', attrs: { id: 'memory' } });
const results = el('div', { className: 'results', attrs: { hidden: '' } }, [
  summary,
  section('columns-heading', 'Columns', columnsBox),
  section('chart-heading', 'Before and after the plan', barsBox),
  section('code-heading', 'Load it with the plan applied', codeBox),
  section('sparse-heading', 'Mostly-zero columns', sparseBox),
  section('memory-heading', 'What fits in memory', memoryBox),
]);

document.body.append(
  el('main', {}, [
    el('header', {}, [
      el('div', { className: 'title-row' }, [title, el('div', { className: 'actions' }, [cancel, refresh])]),
      meta,
      note,
      warnings,
    ]),
    status,
    progress,
    errorBox,
    results,
  ]),
);

function section(id: string, heading: string, body: HTMLElement): HTMLElement {
  return el('section', { attrs: { 'aria-labelledby': id } }, [el('h2', { text: heading, attrs: { id } }), body]);
}

function button(label: string, tooltip: string, onClick: () => void, secondary = false): HTMLElement {
  const b = el('vscode-button', { text: label, attrs: { title: tooltip } });
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

function codeBlock(id: string, code: string, which: DatasetSnippet): HTMLElement {
  return el('div', { className: 'code', attrs: { 'data-snippet': which } }, [
    el('pre', { attrs: { id, tabindex: '0', 'aria-label': 'Generated Python code' } }, [el('code', { text: code })]),
    el('div', { className: 'code-actions' }, [
      button('Copy', 'Copy the code to the clipboard', () => post({ type: 'copy', snippet: which })),
      button(
        'Insert at cursor',
        which === 'code'
          ? 'Apply the plan to the read call in the last editor, or insert the code at its cursor'
          : 'Insert the code at the cursor of the last editor',
        () => post({ type: 'insert', snippet: which }),
        true,
      ),
      // What Copy or Insert did, next to the buttons (the status line may be scrolled out of view).
      el('span', { className: 'code-note', attrs: { role: 'status', 'aria-live': 'polite' } }),
    ]),
  ]);
}

const noteTimers = new Map<Element, number>();
function showCodeNote(which: DatasetSnippet, text: string): boolean {
  const note = document.querySelector(`.code[data-snippet="${which}"] .code-note`);
  if (!note) return false;
  note.textContent = text;
  clearTimeout(noteTimers.get(note));
  noteTimers.set(
    note,
    window.setTimeout(() => (note.textContent = ''), 6000),
  );
  return true;
}

function stat(id: string, label: string, value: string, bytes?: number): HTMLElement {
  const dd = el('dd', { text: value, attrs: { id } });
  if (bytes !== undefined) dd.dataset.bytes = String(bytes);
  return el('div', { className: 'stat' }, [el('dt', { text: label }), dd]);
}

/** The pandas call whose default read the "now" total is. */
const readFunction: Record<DatasetView['format'], string> = {
  csv: 'read_csv',
  tsv: 'read_table',
  parquet: 'read_parquet',
};

function renderResult(v: DatasetView, refining: boolean): void {
  view = v;
  title.textContent = v.label;
  const m = v.model;
  const approx = v.mode === 'quick' ? ` ${formatUncertainty(v.uncertaintyPercent)}` : '';
  meta.textContent = `${v.format.toUpperCase()}${v.compression ? ` (${v.compression})` : ''} · ${formatBytes(v.fileBytes)} on disk · pandas ${m.pandas} · Python ${m.python} · ${m.pyarrow ? 'pyarrow' : 'no pyarrow'} · ${v.mode} scan in ${formatCount(Math.round(v.elapsedMs))} ms${refining ? ' · refining to exact…' : ''}`;
  note.hidden = !v.modelNote;
  note.textContent = v.modelNote ?? '';
  errorBox.hidden = true;
  results.hidden = false;
  summary.replaceChildren(
    stat('rows', 'Rows', formatCount(v.rows), v.rows),
    stat('column-count', 'Columns', formatCount(v.columns.length), v.columns.length),
    stat('total-now', `Now (default ${readFunction[v.format]})`, `${formatBytes(v.totalBytes)}${approx}`, v.totalBytes),
    stat('total-after', 'After the plan', `${formatBytes(v.suggestedTotalBytes)}${approx}`, v.suggestedTotalBytes),
    stat('saved', 'Saved', `${v.savedPercent.toFixed(0)}%`),
  );
  summary.dataset.mode = v.mode;
  renderTable();
  renderBars(barsBox, v);
  codeBox.replaceChildren(codeBlock('code', v.code, 'code'));
  const sparseSection = sparseBox.parentElement!;
  sparseSection.hidden = !v.sparseCode;
  if (v.sparseCode) {
    sparseBox.replaceChildren(
      el('p', {
        text: `Stored sparse, these columns take ${formatBytes(v.sparseSavedBytes)} less: only the non-zero values and their positions are kept.`,
      }),
      codeBlock('sparse-code', v.sparseCode, 'sparse'),
    );
  }
  warnings.hidden = v.warnings.length === 0 && v.indexNote === null;
  warnings.replaceChildren(
    ...(v.indexNote === null ? [] : [el('li', { text: v.indexNote })]),
    ...v.warnings.map((w) => el('li', { text: `pandas would warn: ${w}` })),
  );
}

function renderTable(): void {
  if (!view) return;
  renderColumns(columnsBox, view, sort, (next) => {
    sort = next;
    vscode.setState({ sort });
    renderTable();
  });
}

function renderMemory(plan: DatasetMemoryPlan | null): void {
  if (!plan) {
    memoryBox.replaceChildren(el('p', { text: 'Available memory could not be read, so no sub-sample plan.' }));
    return;
  }
  const workers = el('input', {
    attrs: {
      id: 'workers',
      type: 'number',
      min: '1',
      max: '1024',
      value: String(plan.workers),
      'aria-label': 'Workers holding a copy',
    },
  });
  workers.addEventListener('change', () => {
    const n = Number(workers.value);
    if (Number.isInteger(n) && n >= 1 && n <= 1024) post({ type: 'setWorkers', workers: n });
  });
  const copies = plan.copies === 1 ? '1 copy' : `${plan.copies} copies (this process and ${plan.workers} workers)`;
  const fraction =
    plan.sampleFraction >= 1
      ? 'All rows fit.'
      : plan.sampleFraction > 0
        ? `A sample of ${(plan.sampleFraction * 100).toPrecision(2)}% of the rows fits: about ${formatBytes(plan.sampleFrameBytes)} a copy.`
        : 'Not even a small sample fits.';
  const full =
    plan.maxWorkersFullSize === 0
      ? 'At full size, not even one copy fits.'
      : plan.maxWorkersFullSize >= plan.cores
        ? `At full size, n_jobs=-1 (all ${plan.cores} cores) fits.`
        : `At full size, up to n_jobs=${plan.maxWorkersFullSize} fits.`;
  const children: (HTMLElement | string)[] = [
    el('p', {
      text: `${formatBytes(plan.availableBytes)} available now; planning for ${formatBytes(plan.budgetBytes)} (${Math.round(plan.safetyMargin * 100)}% kept free). The planned frame is ${formatBytes(plan.frameBytes)}.`,
    }),
    el('p', { className: 'workers-row' }, [
      el('label', { text: 'Workers (n_jobs), each holding a copy: ', attrs: { for: 'workers' } }),
      workers,
      ` of ${plan.cores} cores → ${copies}.`,
    ]),
    el('p', { text: fraction, attrs: { id: 'sample-fraction' } }),
    el('p', { text: full, attrs: { id: 'max-workers' } }),
  ];
  if (plan.sampleCode) children.push(codeBlock('sample-code', plan.sampleCode, 'sample'));
  if (!plan.fits) {
    children.push(el('h3', { text: `Even the planned frame exceeds ${formatBytes(plan.budgetBytes)}` }));
    if (plan.usecols && plan.usecolsCode) {
      children.push(
        el('p', { text: `Leaving out ${plan.usecols.drop.join(', ')}: ${formatBytes(plan.usecols.bytes)}.` }),
        codeBlock('usecols-code', plan.usecolsCode, 'usecols'),
      );
    }
    if (plan.chunks && plan.chunksCode) {
      children.push(
        el('p', {
          text: `Streaming ${formatCount(plan.chunks.chunksize)} rows at a time: about ${formatBytes(plan.chunks.chunkBytes)} a chunk.`,
        }),
        codeBlock('chunks-code', plan.chunksCode, 'chunks'),
      );
    }
  }
  memoryBox.replaceChildren(...children);
}

window.addEventListener('message', (event: MessageEvent<DatasetHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'loading': {
      const pct = Math.round(message.fraction * 100);
      if (!view) title.textContent = message.label;
      status.textContent = `${message.phase === 'quick' ? 'Quick estimate' : 'Exact scan'} of ${message.label}: ${pct}%`;
      progress.hidden = false;
      progress.setAttribute('aria-valuenow', String(pct));
      (progress.firstElementChild as HTMLElement).style.width = `${pct}%`;
      cancel.hidden = false;
      break;
    }
    case 'result':
      renderResult(message.view, message.refining);
      progress.hidden = message.refining ? progress.hidden : true;
      cancel.hidden = !message.refining;
      status.textContent = message.refining ? 'Quick estimate shown; the exact scan continues.' : '';
      break;
    case 'memory':
      renderMemory(message.plan);
      break;
    case 'error':
      progress.hidden = true;
      cancel.hidden = true;
      status.textContent = '';
      errorBox.hidden = false;
      errorBox.replaceChildren(
        el('strong', { text: message.message }),
        ...(message.hint ? [el('p', { text: message.hint })] : []),
      );
      break;
    case 'notice':
      if (!message.snippet || !showCodeNote(message.snippet, message.text)) status.textContent = message.text;
      break;
  }
});

post({ type: 'ready' });

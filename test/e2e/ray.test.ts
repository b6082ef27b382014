// A search on a real two-node Ray cluster, in a real VS Code (code-server + Chromium), driven as a
// person would. The cluster (test/integration/ray/cluster.ts: head and worker, one CPU each) lives in
// a loopback-only network namespace, and code-server and Chromium run inside it too, so the
// extension's Ray driver reaches the head at 127.0.0.1. Start a spec with `cluster:` from the palette;
// the run panel's Node column shows trials on both nodes and the Resources view's Cluster section
// lists both alive; SIGKILL the worker's raylet while a trial runs there: the Resources view shows the
// node dead, and the run still finishes with every trial done exactly once (panel and trials.jsonl).
// Skipped, loudly, where network namespaces cannot be made. Screenshots in test/e2e/artifacts/ray-*.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { killTree } from '../../src/core/tuning/processTree';
import type { TrialRecord } from '../../src/core/tuning/runFiles';
import { namespaceUnavailable, python, startCluster, type Cluster } from '../integration/ray/cluster';
import { artifactsDir } from './harness/codeServer';
import { openWorkbench, runCommand, screenshot, type Workbench } from './harness/workbench';

const unavailable = namespaceUnavailable();
if (unavailable)
  console.error(`\n!!! SKIPPING the Ray cluster e2e test: ${unavailable}. It needs root and network namespaces. !!!\n`);

const NAME = 'cluster-grid';
const TRIALS = 10;
// 3 s each: after the kill the head runs what is left one at a time, longer than Ray takes to call
// the worker dead (about 10 s), so the Resources view can show the dead node while the run goes on.
const SCRIPT = `import time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(3)\nhr.report(acc=round(((p['a'] * 7 + p['b'] * 3) % 11) / 10, 4))\n`;
const spec = (address: string) =>
  `name: ${NAME}\nscript: grid.py\nparams:\n  a: [1, 2]\n  b: [1, 2, 3, 4, 5]\nmetric: acc\ncluster:\n  ray: "${address}"\n`;

interface PanelRow {
  trial: string;
  status: string;
  node: string;
  /** The Duration column in ms (NaN where it shows none). */
  ms: number;
}
interface NodeRow {
  name: string;
  state: string;
  memory: string;
  trials: string;
}

/** What the views must never say: a Ray memory request of 1 B (no forecast yet), more slots busy than there are. */
async function assertTruthful(panel: Frame, nodes: NodeRow[]): Promise<void> {
  for (const n of nodes) assert.doesNotMatch(n.memory, / 1 B of /, `${n.name}: ${n.memory}`);
  const reason = (await panel.textContent('#concurrency')) ?? '';
  const [, busy, slots] = /^cluster: (\d+) of (\d+) CPU slots busy/.exec(reason) ?? [];
  assert.ok(!(Number(busy) > Number(slots)), reason);
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The frame (of any webview) that holds `selector`; $ does not wait, so absent frames cost nothing. */
async function frameWith(page: Page, selector: string, what: string, ms = 60_000): Promise<Frame> {
  return until(
    what,
    async () => {
      for (const f of page.frames()) if (await f.$(selector).catch(() => null)) return f;
      return false;
    },
    ms,
  );
}

/** The run panel's rows: trial id, status class and the Node column's text. */
function panelRows(frame: Frame): Promise<PanelRow[]> {
  // No named functions inside: tsx would wrap them in a __name() the page does not have.
  return frame.$$eval('#trials-grid', (grids) => {
    const grid = grids[0];
    if (!grid) return [];
    const heads = [...grid.querySelectorAll('[role="columnheader"]')].map((h) => h.textContent ?? '');
    const nodeAt = heads.findIndex((h) => h.startsWith('Node'));
    const durationAt = heads.findIndex((h) => h.startsWith('Duration'));
    return [...grid.querySelectorAll('.grid-row[data-trial]')].map((row) => {
      const cells = [...row.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '');
      const duration = /^([\d.]+) (ms|s)$/.exec(cells[durationAt] ?? '');
      return {
        trial: row.getAttribute('data-trial') ?? '',
        status: /status-(\w+)/.exec(row.className)?.[1] ?? '',
        node: nodeAt < 0 ? '' : (cells[nodeAt] ?? ''),
        ms: duration ? Number(duration[1]) * (duration[2] === 's' ? 1000 : 1) : NaN,
      };
    });
  });
}

/** The Resources view's Cluster section: one row per node (empty while it is hidden). */
function clusterRows(frame: Frame): Promise<NodeRow[]> {
  return frame.$$eval('#section-cluster:not([hidden]) tbody tr', (rows) =>
    rows.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return { name: cells[0], state: cells[1], memory: cells[3], trials: cells[4] };
    }),
  );
}

/** The worker node as the views name it: "127.0.0.1/" and the first six of its raylet's node id. */
function nodeName(rayletPid: number): string {
  const args = readFileSync(`/proc/${rayletPid}/cmdline`, 'utf8').split('\0');
  const id = args.find((a) => a.startsWith('--node_id='))?.slice('--node_id='.length);
  assert.ok(id, `no --node_id on the raylet's command line: ${args.join(' ')}`);
  return `127.0.0.1/${id.slice(0, 6)}`;
}

/**
 * As a person would make room for the Cluster section (the Resources view's last): a wider sidebar
 * (drag its sash) and the Datasets view collapsed.
 */
async function roomForResources(page: Page): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  assert.ok(sidebar, 'the sidebar is open');
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 200, y, { steps: 5 });
  await page.mouse.up();
  const datasets = page.locator('.pane-header[aria-label^="Datasets"]');
  if ((await datasets.getAttribute('aria-expanded')) === 'true') await datasets.click();
}

/** Scrolls the Resources view to its Cluster section before a screenshot. */
async function showCluster(resources: Frame): Promise<void> {
  await resources.$eval('#section-cluster', (e) => e.scrollIntoView({ block: 'end' }));
}

/** Copies the cluster's Ray logs (cluster.ts: temp dir /tmp/hrr-PID) to test/e2e/artifacts/ray-logs/. */
function keepRayLogs(): void {
  const logs = `/tmp/hrr-${process.pid}/session_latest/logs`;
  if (existsSync(logs)) cpSync(logs, join(artifactsDir, 'ray-logs'), { recursive: true });
}

function records(workspace: string): TrialRecord[] {
  const runs = join(workspace, '.headroom', 'runs');
  const [runId] = readdirSync(runs);
  return readFileSync(join(runs, runId, 'trials.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TrialRecord);
}

describe('a search on a Ray cluster', { skip: unavailable ? `Ray cluster e2e skipped: ${unavailable}` : false }, () => {
  let cluster: Cluster | undefined;
  let bench: Workbench | undefined;
  let source = '';
  let passed = false;

  before(async () => {
    const started = Date.now();
    cluster = startCluster();
    source = mkdtempSync(join(tmpdir(), 'headroom-ray-e2e-'));
    writeFileSync(join(source, 'grid.py'), SCRIPT);
    writeFileSync(join(source, 'grid.tune.yaml'), spec(cluster.address));
    bench = await openWorkbench({
      workspace: source,
      settings: { 'headroom.python.path': python },
      netns: cluster.ns,
    });
    console.log(`cluster and workbench up in ${Date.now() - started} ms`);
  });

  after(async () => {
    if (bench) await screenshot(bench.page, 'ray-last').catch(() => undefined);
    // What Ray said, for a failed run (the cluster's temp dir goes with the teardown).
    if (!passed) keepRayLogs();
    await bench?.dispose();
    // Kills whatever is left in the namespace (Ray, and code-server's or Chromium's leftovers) and deletes it.
    cluster?.teardown();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  test('started from the palette: trials on both nodes; the worker node killed mid-run, every trial still finishes once', async () => {
    const { page } = bench!;
    // Room for the sidebar's Cluster table and the panel's Node column side by side.
    await page.setViewportSize({ width: 1700, height: 950 });
    const c = cluster!;
    const worker = nodeName(c.worker.rayletPid);
    // The Resources view first (the sidebar), then the run: its panel opens in the editor area beside it.
    // The workbench is up before the extension's contributions reach the palette: wait for the
    // extension's own status bar item (the palette listed no Headroom command before it, here at load 10).
    await page
      .locator('.statusbar-item', { hasText: /CPU \d+%\s+RAM/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await runCommand(page, 'Headroom: Show Resources');
    const resources = await frameWith(page, '#section-cluster', 'the Resources view');
    await roomForResources(page);
    const started = Date.now();
    await runCommand(page, 'Headroom: Start Tuning Run');
    const panel = await until(
      `the run panel of "${NAME}"`,
      async () => {
        for (const f of page.frames())
          if ((await f.$eval('body[data-ready] h1', (h) => h.textContent).catch(() => null)) === NAME) return f;
        return false;
      },
      60_000,
    );

    // Both nodes take trials (the panel's Node column), and the Cluster section lists both alive, the
    // worker with the trial the panel shows running there. The section is redrawn as the driver
    // reports (every 2 s), so a trial of 3 s may pass unseen there: the next one is not.
    await until(
      'trials on both nodes, and the Cluster section listing both alive, the worker with its trial',
      async () => {
        const rows = await panelRows(panel);
        const nodes = await clusterRows(resources);
        await assertTruthful(panel, nodes);
        const used = new Set(rows.filter((r) => /^127\.0\.0\.1\//.test(r.node)).map((r) => r.node));
        const running = rows.find((r) => r.node === worker && r.status === 'running')?.trial;
        const listed = nodes.find((n) => n.name === worker)?.trials.split(', ') ?? [];
        const alive = nodes.length === 2 && nodes.every((n) => n.state === 'alive');
        return used.size === 2 && alive && running !== undefined && listed.includes(running);
      },
      90_000,
    );
    await showCluster(resources);
    await screenshot(page, 'ray-both-nodes');

    // Kill the worker while a trial has just started there (under 1.5 s of its 3 s), so it is cut short.
    const onWorker = await until(
      'a trial just started on the worker',
      async () =>
        (await panelRows(panel)).find((r) => r.node === worker && r.status === 'running' && r.ms < 1500)?.trial,
      60_000,
    );
    // The node dies as a machine would: its raylet and everything under it at once. Killing the raylet
    // alone let a Ray worker finish its trial and report it first (CI at 11d034a: no rerun to see).
    killTree(c.worker.rayletPid);
    const killedAt = Date.now();
    const dead = await until(
      'the Cluster section to show the worker dead',
      async () => {
        const nodes = await clusterRows(resources);
        await assertTruthful(panel, nodes);
        return nodes.some((n) => n.name === worker && n.state === 'dead') && nodes;
      },
      60_000,
    );
    // The cut-short trial, once Ray reports it lost, waits as a queued rerun (the head is busy with
    // its own 3 s trial): no duration, and the node it died on named as such; then it runs on the head.
    let queuedSeen: PanelRow | undefined;
    await until(
      `${onWorker} rerun`,
      async () => {
        await assertTruthful(panel, await clusterRows(resources));
        const row = (await panelRows(panel)).find((r) => r.trial === onWorker);
        if (row?.status === 'queued') queuedSeen ??= row;
        return row && row.node !== worker && row.status !== 'queued';
      },
      60_000,
    );
    if (queuedSeen) {
      assert.ok(Number.isNaN(queuedSeen.ms), `a queued rerun shows no duration: ${JSON.stringify(queuedSeen)}`);
      assert.equal(queuedSeen.node, `${worker} (died)`);
    } else console.log(`${onWorker}'s rerun started before the panel showed it queued`);
    console.log(`the worker shown dead ${Date.now() - killedAt} ms after the kill`);
    assert.equal(dead.find((n) => n.name !== worker)?.state, 'alive', 'the head is alive');
    const description = await resources.$eval(
      '#section-cluster',
      (e) => (e as unknown as { description: string }).description,
    );
    assert.match(
      description ?? '',
      new RegExp(`^${c.address.replace(/\./g, '\\.')}: 1 of 2 nodes alive \\(${NAME}\\)`),
    );
    // The Runs view follows the live run (its row showed "0/8" to the end of the run before).
    const runsRow = page.locator(`.monaco-list-row[aria-label^="Run ${NAME},"]`);
    await until(
      "the Runs view to show the live run's progress",
      async () => {
        const label = (await runsRow.getAttribute('aria-label')) ?? '';
        const status = (await panel.textContent('#run-status')) ?? '';
        assert.match(status, /^running/, `the run ended before the Runs view showed its progress: ${label}`);
        return new RegExp(` [1-${TRIALS - 1}]/${TRIALS}\\b`).test(label);
      },
      10_000,
    );
    await showCluster(resources);
    await screenshot(page, 'ray-worker-dead');

    await until(
      'the run to finish',
      async () => (await panel.textContent('#run-status'))?.startsWith('finished'),
      120_000,
    );
    console.log(`run of ${TRIALS} trials: ${Date.now() - started} ms from the palette, worker killed mid-run`);
    const rows = await panelRows(panel);
    assert.equal(rows.length, TRIALS, JSON.stringify(rows));
    assert.ok(
      rows.every((r) => r.status === 'done'),
      `every row done: ${JSON.stringify(rows)}`,
    );
    assert.match((await panel.textContent('.count')) ?? '', new RegExp(`^${TRIALS} of ${TRIALS} trials$`));
    // The rerun of the interrupted trial ran on the head.
    assert.notEqual(rows.find((r) => r.trial === onWorker)?.node, worker);
    // The run is over: the Cluster section goes.
    await until('the Cluster section to hide', async () => (await clusterRows(resources)).length === 0, 15_000);
    // The Runs view follows the live run to its end.
    await page
      .locator(`.monaco-list-row[aria-label^="Run ${NAME},"][aria-label*=" ${TRIALS}/${TRIALS} "]`)
      .waitFor({ timeout: 15_000 });
    await screenshot(page, 'ray-finished');

    const all = records(bench!.profile.workspaceDir);
    const done = all.filter((r) => r.status === 'done');
    assert.deepEqual(
      done.map((r) => r.trialId).sort(),
      Array.from({ length: TRIALS }, (_, i) => `t${String(i).padStart(4, '0')}`),
      'each trial done exactly once',
    );
    // The cut-short trial, and any other the dead node held, is recorded as lost there, not final.
    const lost = all.filter((r) => r.status !== 'done');
    const table = JSON.stringify(all.map((r) => [r.trialId, r.attempt, r.status, r.node, r.error]));
    assert.ok(
      lost.some((r) => r.trialId === onWorker),
      `${onWorker}, cut short on the worker, is recorded: ${table}`,
    );
    for (const r of lost) {
      assert.equal(r.node, worker, table);
      assert.equal(r.final, false, table);
      assert.match(r.error ?? '', new RegExp(`node ${worker.replace(/\./g, '\\.')} died while the trial ran there`));
    }
    for (const r of done) if (r.attempt > 1) assert.notEqual(r.node, worker, `${r.trialId} reran on the node left`);
    passed = true;
  });
});

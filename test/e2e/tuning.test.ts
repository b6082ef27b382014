// Tuning in a real VS Code (code-server + Chromium), driven as a person would: start a run of the
// demo's scikit-learn spec from the command palette, watch the Runs view and the run panel fill in
// and highlight the best trial (checked against trials.jsonl), stop a run of slow trials and check
// the process table, reload the window and get the panel back, and see the Restricted Mode
// explanation instead of a run in an untrusted workspace. Screenshots in test/e2e/artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { artifactsDir, CodeServer, createProfile, removeProfile, type Profile } from './harness/codeServer';
import { openFile, runPanelFrame, showOpenEditor } from './harness/workbench';
import { pythons, requirePython } from '../support/python';
import type { TrialRecord } from '../../src/core/tuning/runFiles';

const python = requirePython(pythons.test);
let browser: Browser;

// A trial that takes minutes and has a child process of its own: stopping must kill the whole tree.
const SLOW_MARKER = 'headroom-e2e-slow-trial';
const SLOW_SCRIPT = `import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)  # ${SLOW_MARKER}"])
time.sleep(600)  # ${SLOW_MARKER}
`;
const SLOW_SPEC = `script: slow.py
params:
  n: [1, 2, 3, 4, 5, 6]
metric: score
cache: false
`;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, `tuning-${name}.png`) });
}

async function open(profile: Profile, server: CodeServer): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
  return page;
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 15_000 });
  await page.keyboard.press('Enter');
}

function runDirs(workspace: string): string[] {
  const root = join(workspace, '.headroom', 'runs');
  return existsSync(root) ? readdirSync(root).map((id) => join(root, id)) : [];
}

function records(runDir: string): TrialRecord[] {
  return readFileSync(join(runDir, 'trials.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TrialRecord);
}

/** Pids whose command line contains `marker` (the process table, as /proc shows it). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
});

describe('tuning in a trusted workspace', () => {
  let profile: Profile;
  let server: CodeServer;
  let page: Page;

  before(async () => {
    profile = createProfile({ settings: { 'headroom.python.path': python } });
    writeFileSync(join(profile.workspaceDir, 'tuning', 'slow.py'), SLOW_SCRIPT);
    writeFileSync(join(profile.workspaceDir, 'tuning', 'slow.tune.yaml'), SLOW_SPEC);
    server = await CodeServer.start(profile);
    page = await open(profile, server);
  });

  after(async () => {
    await server?.stop();
    for (const pid of processesWith(SLOW_MARKER)) process.kill(pid, 'SIGKILL');
    if (profile) removeProfile(profile);
  });

  test('Start Tuning Run from the palette runs the demo spec; the Runs view and the panel fill in; the best is highlighted', async () => {
    await openFile(page, 'rf.tune.yaml');
    // The spec offers Run at its top (CodeLens); the run itself starts from the palette.
    await page.locator('.codelens-decoration a', { hasText: 'Run' }).first().waitFor({ timeout: 30_000 });
    await shot(page, 'spec-codelens');
    await runCommand(page, 'Headroom: Start Tuning Run');
    const frame = await runPanelFrame(page, 'rf', profile.userDataDir);
    // Trials finish one by one: the table shows done rows before the run ends.
    await frame.waitForSelector('.grid-row.status-done', { timeout: 240_000 });
    await shot(page, 'panel-running');
    await until(
      'the run to finish',
      async () => (await frame.textContent('#run-status'))?.startsWith('finished'),
      600_000,
    );
    const [runDir] = runDirs(profile.workspaceDir);
    const done = records(runDir).filter((r) => r.status === 'done' || r.status === 'cached');
    assert.equal(done.length, 9, 'the 3 x 3 grid ran in full');
    const best = done.reduce((b, r) => (r.value! > b.value! ? r : b));
    const highlighted = await frame.$$eval('.grid-row.best', (rows) => rows.map((r) => r.getAttribute('data-trial')));
    assert.deepEqual(highlighted, [best.trialId], 'exactly the best trial is highlighted');
    assert.match((await frame.textContent('#best')) ?? '', new RegExp(`best roc_auc .* — ${best.trialId}:`));
    assert.match((await frame.textContent('.count')) ?? '', /^9 of 9 trials$/);
    await shot(page, 'panel-finished');

    // The end-of-run notification carries the best result and an Open button.
    const toast = page.locator('.notification-toast', { hasText: 'Tuning run "rf" finished' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match((await toast.textContent()) ?? '', /Best roc_auc/);

    // The Runs view lists the run with its trials.
    await page.locator('.activitybar .action-label[aria-label^="Headroom"]').first().click();
    const runRow = page.locator('.monaco-list-row[aria-label^="Run rf,"]');
    await runRow.waitFor({ timeout: 30_000 });
    assert.match((await runRow.getAttribute('aria-label')) ?? '', /9\/9/);
    // Expand with the twistie: a click on the row itself opens the run's panel (and takes the focus).
    if ((await runRow.getAttribute('aria-expanded')) !== 'true') await runRow.locator('.monaco-tl-twistie').click();
    await page.locator(`.monaco-list-row[aria-label^="Trial ${best.trialId}, best"]`).waitFor({ timeout: 30_000 });
    await shot(page, 'runs-view');
  });

  test('Stop ends a run of slow trials and leaves no trial process behind', async () => {
    await openFile(page, 'slow.tune.yaml');
    await runCommand(page, 'Headroom: Start Tuning Run');
    let frame = await runPanelFrame(page, 'slow', profile.userDataDir);
    await frame.waitForSelector('.grid-row.status-running', { timeout: 120_000 });
    // The first trial runs alone until it shows the script works (the check before launch); it is a
    // Python process with a child of its own.
    const first = await until(
      'the first slow trial and its child',
      () => (processesWith(SLOW_MARKER).length >= 1 ? processesWith(SLOW_MARKER) : false),
      60_000,
    );
    assert.match((await frame.textContent('#concurrency')) ?? '', /checking that the first trial works/);

    // Stop that one trial from its row: its process tree goes, the run goes on with the next trial.
    await frame.click('.grid-row[data-trial="t0000"] [data-action="stop"]');
    await frame.waitForSelector('.grid-row.status-cancelled[data-trial="t0000"]', { timeout: 30_000 });
    await frame.waitForSelector('.grid-row.status-running[data-trial="t0001"]', { timeout: 60_000 });
    await until(
      'the stopped trial to be gone',
      () => first.every((pid) => !processesWith(SLOW_MARKER).includes(pid)),
      15_000,
    );
    const running = await until(
      'the next slow trial and its child',
      () => (processesWith(SLOW_MARKER).length >= 1 ? processesWith(SLOW_MARKER) : false),
      60_000,
    );
    assert.match((await frame.textContent('.grid-row[data-trial="t0000"]')) ?? '', /stopped on its own/);
    await shot(page, 'slow-trial-stopped');

    // Each row's log is one click away; "Open log" opens the run's own log, not the output channel.
    await frame.click('.grid-row[data-trial="t0001"] [data-action="log"]');
    await page.waitForSelector('.tab.active[aria-label*="t0001.log"]', { timeout: 15_000 });
    // The log took the panel's place in its editor group: bring the panel back (it reloads).
    const backToPanel = async () => {
      await page.locator('.tab[aria-label^="Run: slow"]').click();
      frame = await runPanelFrame(page, 'slow', profile.userDataDir);
    };
    await backToPanel();
    await frame.click('#open-log');
    await page.waitForSelector('.tab.active[aria-label*="run.log"]', { timeout: 15_000 });
    const slowDir = runDirs(profile.workspaceDir).find((d) => d.includes('slow'))!;
    assert.match(readFileSync(join(slowDir, 'run.log'), 'utf8'), /t0000: stopped on its own/);
    await page
      .locator('.editor-instance .view-line', { hasText: 'stopped on its own' })
      .first()
      .waitFor({ timeout: 15_000 });
    await shot(page, 'run-log');
    // Back to the panel for the run's Stop button.
    await backToPanel();
    // The Resources view lists each running trial with its CPU and memory. (The Headroom sidebar is
    // open from the first test; clicking its icon again would close it.)
    await runCommand(page, 'Headroom: Show Resources');
    await until(
      'the Resources view to list the running slow trials',
      async () => {
        for (const f of page.frames()) {
          // $eval does not wait (textContent would wait 30 s in each frame without the section).
          const text = await f.$eval('#section-trials', (e) => e.textContent).catch(() => null);
          if (text?.includes('slow t0001')) return true;
        }
        return false;
      },
      30_000,
    );
    await shot(page, 'slow-running');
    await frame.click('#stop');
    await until('the run to stop', async () => (await frame.textContent('#run-status'))?.startsWith('stopped'), 60_000);
    await until('every trial process to be gone', () => processesWith(SLOW_MARKER).length === 0, 15_000);
    for (const pid of running)
      assert.ok(
        !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'),
        `process ${pid} survived the stop`,
      );
    const slowRun = runDirs(profile.workspaceDir).find((d) => d.includes('slow'))!;
    const meta = JSON.parse(readFileSync(join(slowRun, 'run.json'), 'utf8')) as { status: string };
    assert.equal(meta.status, 'stopped');
    // The Runs view and the status bar follow: the run is stopped, nothing runs.
    await page.locator('.monaco-list-row[aria-label^="Run slow,"][aria-label*="stopped"]').waitFor({ timeout: 15_000 });
    await until(
      'the status bar item of the search to go',
      async () => (await page.locator('.statusbar-item', { hasText: 'slow 0/6' }).count()) === 0,
      15_000,
    );
    await shot(page, 'slow-stopped');
  });

  test('New Tuning Spec writes a starter spec for the open script; a broken spec gets Headroom diagnostics', async () => {
    await openFile(page, 'make_data.py');
    await runCommand(page, 'Headroom: New Tuning Spec');
    await page.waitForSelector('.tab.active[aria-label*="make_data.tune.yaml"]', { timeout: 15_000 });
    const written = readFileSync(join(profile.workspaceDir, 'make_data.tune.yaml'), 'utf8');
    assert.match(written, /^script: make_data\.py$/m);
    assert.match(written, /^params:$/m);

    writeFileSync(
      join(profile.workspaceDir, 'broken.tune.yaml'),
      'script: missing.py\nsearch: exhaustive\nparams:\n  a: [1]\nmetric: acc\nresources:\n  memoryPerTrial: 4096GB\n',
    );
    await openFile(page, 'broken.tune.yaml');
    await runCommand(page, 'View: Toggle Problems');
    const problems = page.locator('.markers-panel .monaco-list-row');
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: 'Script file not found' })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: "more than this machine's" })
      .waitFor({ timeout: 30_000 });
    // No YAML extension in this profile: the spec schema is checked by Headroom itself.
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: "'search' must be one of" })
      .waitFor({ timeout: 30_000 });
    assert.equal(await problems.filter({ hasText: 'Headroom' }).count(), 3, 'each problem once');
    await shot(page, 'spec-diagnostics');
  });

  test('after a window reload the run panel comes back with the finished trials', async () => {
    // Wait for the new page: until it navigates, the old workbench still matches every selector below.
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    const [runDir] = runDirs(profile.workspaceDir).filter((d) => !d.includes('slow'));
    const finished = records(runDir).filter((r) => r.final).length;
    // The rf panel was behind the slow one: bring it forward, then read the restored table.
    await page.locator('.tab[aria-label^="Run: rf"]').waitFor({ timeout: 60_000 });
    await showOpenEditor(page, 'Run: rf');
    const frame = await runPanelFrame(page, 'rf', profile.userDataDir);
    await frame.waitForSelector('.grid-row', { timeout: 30_000 });
    assert.match((await frame.textContent('.count')) ?? '', new RegExp(`^${finished} of ${finished} trials$`));
    assert.equal(await frame.$$eval('.grid-row.best', (rows) => rows.length), 1);
    // the memory/CPU chart comes back too, from the run's timeline.jsonl
    assert.ok(existsSync(join(runDir, 'timeline.jsonl')));
    assert.equal(await frame.isHidden('.chart-note'), true, 'no "nothing recorded" note');
    assert.ok((await frame.$$('#chart-usage canvas')).length > 0);
    await shot(page, 'panel-restored');
  });
});

describe('tuning in an untrusted workspace', () => {
  let profile: Profile;
  let server: CodeServer;

  before(async () => {
    profile = createProfile({ trust: true, settings: { 'headroom.python.path': python } });
    server = await CodeServer.start(profile);
  });

  after(async () => {
    await server?.stop();
    if (profile) removeProfile(profile);
  });

  test('Start Tuning Run explains Restricted Mode instead of running', async () => {
    const page = await open(profile, server);
    // The trust prompt: choose Restricted Mode.
    const no = page.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" });
    await no.waitFor({ timeout: 60_000 });
    await no.click();
    await openFile(page, 'rf.tune.yaml');
    await page
      .locator('.codelens-decoration a', { hasText: 'Tuning runs are off in Restricted Mode' })
      .waitFor({ timeout: 30_000 });
    await runCommand(page, 'Headroom: Start Tuning Run');
    const toast = page.locator('.notification-toast', { hasText: 'Tuning runs are disabled in Restricted Mode' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match((await toast.textContent()) ?? '', /execute this workspace's Python code/);
    await page.waitForTimeout(1000); // the toast's fade-in
    await shot(page, 'untrusted');
    assert.deepEqual(runDirs(profile.workspaceDir), [], 'nothing ran');
  });
});

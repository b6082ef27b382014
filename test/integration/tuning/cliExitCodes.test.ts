import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/python';
import { python, spec, workspace } from './helpers';

const cli = join(repoRoot, 'dist', 'cli.js');
const tune = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [cli, 'tune', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

test('exit 2 (as the help says for bad input) for an interpreter the spec names that does not exist, and for an unknown --resume id', () => {
  const dir = workspace({ 't.py': `import json\nprint(json.dumps({'acc': 1}))\n` });
  const missing = tune(
    [spec(dir, 'p.tune.yaml', 'script: t.py\npython: /no/such/python3\nparams:\n  a: [1]\nmetric: acc\n')],
    dir,
  );
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /Python interpreter not found: \/no\/such\/python3 \(from the spec\)/);
  const unknown = tune(
    [spec(dir, 'ok.tune.yaml', 'script: t.py\nparams:\n  a: [1]\nmetric: acc\n'), '--resume', 'nope'],
    dir,
  );
  assert.equal(unknown.status, 2, unknown.stderr);
  assert.match(unknown.stderr, /no run 'nope'/);
});

test('--resume after the spec file changed says the stored spec is used and what differs', () => {
  const dir = workspace({
    't.py': `import json\nimport headroom_runtime as hr\nprint(json.dumps({'acc': hr.params()['a']}))\n`,
  });
  const file = spec(dir, 'r.tune.yaml', 'script: t.py\nparams:\n  a: [1, 2]\nmetric: acc\n');
  const first = tune([file, '--json', '--python', python], dir);
  assert.equal(first.status, 0, first.stderr);
  const runId = (JSON.parse(first.stdout.split('\n')[0]) as { runId: string }).runId;
  const same = tune([file, '--resume', runId, '--python', python], dir);
  assert.equal(same.status, 0, same.stderr);
  assert.doesNotMatch(same.stderr, /has changed/);
  writeFileSync(file, 'script: t.py\nparams:\n  a: [1, 2, 3]\nmetric: acc\nresources:\n  workers: 1\n');
  const edited = tune([file, '--resume', runId, '--python', python], dir);
  assert.equal(edited.status, 0, edited.stderr);
  assert.match(
    edited.stderr,
    new RegExp(
      `resuming with the spec stored with run ${runId}; .*r\\.tune\\.yaml has changed since and its edits are not used \\(differs in: params\\.a\\.values, resources\\.workers\\)`,
    ),
  );
});

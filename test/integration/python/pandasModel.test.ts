import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { probePython, PythonError, resolvePandasModel } from '../../../src/core/python';
import { pythons, requirePython } from '../../support/python';

const dir = mkdtempSync(join(tmpdir(), 'headroom-python-'));

test('each test interpreter reports its pandas, Python and pyarrow', async () => {
  const three = await resolvePandasModel(requirePython(pythons.test));
  assert.equal(three.model.pandas, '3.0');
  assert.equal(three.model.pyarrow, true);
  assert.equal(three.source, 'interpreter');
  const two = await resolvePandasModel(requirePython(pythons.pandas2));
  assert.deepEqual(two.model, { pandas: '2.2', python: '3.11', pyarrow: true });
  const one = await resolvePandasModel(pythons.pandas1);
  assert.deepEqual(one.model, { pandas: '1.5', python: '3.11', pyarrow: false });
  assert.equal(one.message, undefined);
});

test('the probe runs once per interpreter', async () => {
  const a = probePython(pythons.pandas1);
  assert.equal(probePython(pythons.pandas1), a);
});

test('overrides replace single parts; all three skip the interpreter', async () => {
  const r = await resolvePandasModel(pythons.pandas1, { pandas: '3.0', pyarrow: 'true' });
  assert.deepEqual(r.model, { pandas: '3.0', python: '3.11', pyarrow: true });
  assert.equal(r.source, 'override');
  const all = await resolvePandasModel('/nonexistent/python', { pandas: '2.2', python: '3.12', pyarrow: 'false' });
  assert.deepEqual(all.model, { pandas: '2.2', python: '3.12', pyarrow: false });
  assert.equal(all.message, undefined);
});

test('a missing interpreter gives the default model and a message saying what to do', async () => {
  const r = await resolvePandasModel(join(dir, 'no-such-python'));
  assert.equal(r.source, 'default');
  assert.deepEqual(r.model, { pandas: '3.0', python: '3.12', pyarrow: false });
  assert.match(r.message!, /Python interpreter not found: .*no-such-python.*Select Interpreter/);
  await assert.rejects(
    probePython(join(dir, 'no-such-python')),
    (e: unknown) => e instanceof PythonError && e.code === 'missing',
  );
});

test('an interpreter without pandas: default for its Python, and the message says so', async () => {
  const venv = join(dir, 'bare');
  const made = spawnSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);
  assert.equal(made.status, 0, String(made.stderr));
  const r = await resolvePandasModel(join(venv, 'bin', 'python'));
  assert.equal(r.source, 'default');
  assert.deepEqual(r.model, { pandas: '3.0', python: '3.11', pyarrow: false });
  assert.match(r.message!, /pandas is not installed in .*bare.*Python 3\.11/);
});

test('a hanging or broken interpreter is reported, not waited on forever', async () => {
  const hang = join(dir, 'hang.sh');
  writeFileSync(hang, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(hang, 0o755);
  await assert.rejects(
    probePython(hang, { timeoutMs: 500 }),
    (e: unknown) => e instanceof PythonError && e.code === 'timeout',
  );
  const broken = join(dir, 'broken.sh');
  writeFileSync(broken, '#!/bin/sh\necho "boom" >&2\nexit 3\n');
  chmodSync(broken, 0o755);
  await assert.rejects(
    probePython(broken),
    (e: unknown) => e instanceof PythonError && e.code === 'failed' && /boom/.test(e.message),
  );
});

// Files pandas rejects are reported as what they are, in pandas' own terms (issue 17, point 10):
// checked against the error real pandas raises on the same file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeFile, closeFootprintPool, FootprintError } from '../../../src/core/footprint';
import { pythons } from '../../support/python';
import { pandasTruth } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-truthful-'));
const model = { pandas: '3.0', python: '3.11', pyarrow: true };
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(path: string, mode: 'exact' | 'quick' = 'exact'): Promise<FootprintError> {
  try {
    await analyzeFile(path, { model, mode });
  } catch (error) {
    assert.ok(error instanceof FootprintError, `not a FootprintError: ${String(error)}`);
    return error;
  }
  assert.fail(`${path} did not fail`);
}

function pandasError(path: string, format: 'csv' | 'parquet'): string {
  const [r] = pandasTruth(pythons.test, [{ path, format }]);
  assert.ok(r.error, `pandas read ${path}`);
  return r.error;
}

describe('truthful errors', () => {
  it('a 0-byte .parquet: ArrowInvalid "Parquet file size is 0 bytes", not EmptyDataError', async () => {
    const path = join(dir, 'empty.parquet');
    writeFileSync(path, '');
    const error = await failure(path);
    assert.equal(error.code, 'parquet');
    assert.match(error.message, /ArrowInvalid "Parquet file size is 0 bytes"/);
    assert.doesNotMatch(error.message, /EmptyDataError/);
    assert.match(pandasError(path, 'parquet'), /Parquet file size is 0 bytes/);
  });

  it('UTF-16 with a byte-order mark is named UTF-16, with encoding=\'utf-16\' suggested, not "binary"', async () => {
    const path = join(dir, 'u16.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]));
    for (const mode of ['exact', 'quick'] as const) {
      const error = await failure(path, mode);
      assert.equal(error.code, 'encoding');
      assert.match(error.message, /UTF-16/);
      assert.match(error.hint ?? '', /encoding='utf-16'/);
    }
    assert.match(pandasError(path, 'csv'), /UnicodeDecodeError|codec can't decode/);
  });

  it('a symbolic-link loop says ELOOP, not "check the file permissions"', async () => {
    const a = join(dir, 'loop-a.csv');
    symlinkSync(join(dir, 'loop-b.csv'), a);
    symlinkSync(a, join(dir, 'loop-b.csv'));
    const error = await failure(a);
    assert.match(error.message, /loop of symbolic links \(ELOOP\)/);
    assert.doesNotMatch(error.hint ?? '', /permission/i);
    assert.match(pandasError(a, 'csv'), /Too many levels of symbolic links/);
  });

  // Cut inside the first MiB (the header read) and far past it (the scan).
  for (const rowCount of [100_000, 1_000_000]) {
    it(`a truncated .csv.gz (${rowCount} rows) says the gzip stream is truncated`, async () => {
      const path = join(dir, `cut-${rowCount}.csv.gz`);
      const rows = Array.from({ length: rowCount }, (_, i) => `${i},${i * 7}`).join('\n');
      const whole = gzipSync(`a,b\n${rows}\n`);
      writeFileSync(path, whole.subarray(0, Math.round(whole.length * 0.8)));
      // Quick mode reads a sample: only a cut inside what it reads can be seen there.
      for (const mode of rowCount === 100_000 ? (['exact', 'quick'] as const) : (['exact'] as const)) {
        const error = await failure(path, mode);
        assert.match(error.message, /gzip stream is truncated/, `${mode}: ${error.message}`);
      }
      assert.match(pandasError(path, 'csv'), /Compressed file ended before the end-of-stream marker/);
    });
  }
});

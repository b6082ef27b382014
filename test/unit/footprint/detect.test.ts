import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { detectFormat, FootprintError } from '../../../src/core/footprint';

const dir = mkdtempSync(join(tmpdir(), 'headroom-detect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('detectFormat', () => {
  it('reads the content: Parquet magic and gzip magic win over the extension', () => {
    assert.equal(detectFormat(file('data.bin', Buffer.from('PAR1....PAR1'))).format, 'parquet');
    const gz = detectFormat(file('data.csv', gzipSync('a\n1\n')));
    assert.deepEqual([gz.format, gz.compression, gz.inferredCompression], ['csv', 'gzip', null]);
  });
  it('uses the extension for the separator and for what pandas infers', () => {
    assert.equal(detectFormat(file('t.tsv', 'a\tb\n')).format, 'tsv');
    const tsvGz = detectFormat(file('t.tsv.gz', gzipSync('a\tb\n')));
    assert.deepEqual([tsvGz.format, tsvGz.compression, tsvGz.inferredCompression], ['tsv', 'gzip', 'gzip']);
    assert.equal(detectFormat(file('plain.txt', 'a,b\n')).format, 'csv');
  });
  it('rejects a .parquet without the magic, and missing files', () => {
    assert.throws(
      () => detectFormat(file('x.parquet', 'a,b\n')),
      (e: unknown) => e instanceof FootprintError && e.code === 'parquet',
    );
    assert.throws(
      () => detectFormat(join(dir, 'none.csv')),
      (e: unknown) => e instanceof FootprintError && e.code === 'missing',
    );
  });
});

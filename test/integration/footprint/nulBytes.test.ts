// NUL bytes inside fields (issue 17, point 3): pandas' C parser keeps tokenizing after a NUL but a
// field's value ends there (`ab\0cd` is read as `ab`, `12\0 34` as 12, `\0x` as NaN), in headers
// too; a file with NULs is refused only when it does not decode. Checked against real pandas 1.5,
// 2.2 and 3.0, for a NUL in the first kilobytes and one far into the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool, FootprintError } from '../../../src/core/footprint';
import { pandasTruth, truthModels } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-nul-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, body: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}
const b = (s: string) => Buffer.from(s, 'latin1');

// One column per place a NUL can sit: text, quoted text, after digits, first byte, after an NA
// spelling or a bool, inside a float, before the separator, twice; the header has NULs too.
const early = file(
  'early.csv',
  b(
    'text,quoted,num,lead,na,flag,real,end,two,h\0idden,\0\n' +
      'ab\0cd,"ab\0""cd",12\0 34,\0xyz,NA\0x,True\0x,1.5\0e9,ab\0,a\0b\0c,x,y\n' +
      'xy,"q""r",7,kl,mn,False,2.5,z,abc,x,y\n',
  ),
);
// A NUL ~9 MB into a 10 MB file (past the head, in the second worker range), in a column of numbers.
const lines = ['id,val,note'];
for (let i = 0; i < 560_000; i++) lines.push(`${i},${(i % 97) * 3},n${i % 13}`);
lines.push('560000,41\0abc,la\0te');
for (let i = 560_001; i < 600_000; i++) lines.push(`${i},${i % 7},n${i % 13}`);
const late = file('late.csv', b(lines.join('\n') + '\n'));
// Only NULs: one unnamed column, no rows.
const onlyNuls = file('nuls.csv', Buffer.alloc(64));

describe('NUL bytes inside fields, as pandas reads them', () => {
  for (const m of truthModels) {
    it(`under ${m.label}: early and late NULs, headers, a file of NULs`, async () => {
      const paths = [late, early, onlyNuls];
      const truth = pandasTruth(
        m.python,
        paths.map((path) => ({ path, format: 'csv' as const })),
        m.args,
      );
      for (let i = 0; i < paths.length; i++) {
        const want = truth[i];
        assert.equal(want.error, undefined, `pandas failed on ${paths[i]}: ${want.error}`);
        const got = await analyzeFile(paths[i], { model: m.model, mode: 'exact', workers: 2 });
        const cols = got.columns.map((c) => `${c.name}:${c.dtype}:${c.bytes}`);
        assert.deepEqual(
          cols,
          want.columns!.map((c) => `${c.name}:${c.dtype}:${c.bytes}`),
          paths[i],
        );
        assert.equal(got.rows, want.rows, paths[i]);
        assert.equal(got.totalBytes, want.total, paths[i]);
      }
    });
  }

  it('a NUL followed by bytes that are not UTF-8 stays an error, as in pandas (UnicodeDecodeError)', async () => {
    for (const [name, body] of [
      ['png.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])],
      ['after-nul.csv', b('a,b\nab\0\xff\xfe,1\nxy,2\n')],
    ] as const) {
      const path = file(name, body);
      const [want] = pandasTruth(truthModels[0].python, [{ path, format: 'csv' }]);
      assert.match(want.error ?? '', /UnicodeDecodeError/);
      await assert.rejects(
        analyzeFile(path, { model: truthModels[0].model, mode: 'exact' }),
        (e: unknown) => e instanceof FootprintError && /UnicodeDecodeError/.test(e.message),
      );
    }
  });
});

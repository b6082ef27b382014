// The CSV/TSV/gz corpus the exactness tests compare against real pandas: one file per inference rule,
// plus files wider and longer than pandas' low_memory block.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ReadOptions } from '../../../src/core/footprint/types';

export interface CorpusFile {
  name: string;
  path: string;
  format: 'csv' | 'tsv';
  read?: ReadOptions;
}

const NA = [
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'n/a',
  'nan',
  'null',
  'None',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Small files, one rule each. */
export function smallCases(): Record<string, string> {
  const cases: Record<string, string> = {
    ints: 'a,b\n1,-2\n003,+4\n 5 ,6\n',
    floats: 'a,b,c\n1.5,1e5,.5\n2,-1E-3,1.\n3,inf,-Infinity\n',
    bools: 'a,b,c\nTrue,false,TRUE\nFalse,true,false\n',
    boolNA: 'a,b\nTrue,1\n,2\nfalse,3\n',
    boolSpaces: 'a\n True\nfalse\n',
    intNA: 'a,b\n1,x\n,y\n3,z\n',
    allNA: 'a,b\n,1\n,2\n',
    strings: 'name,city\nalice,Paris\nbob,"New York, NY"\n"carol ""the"" great","multi\nline"\n',
    unicode: 'a,b,c,d\nascii,café,Ωmega,😀x\nxy,é,日本,𝄞\n',
    latin1Strings: 'a\nÿ\nÀb\n',
    bigints: 'a,b,c,d\n9223372036854775807,18446744073709551615,18446744073709551616,-9223372036854775809\n1,1,1,1\n',
    uintNeg: 'a\n18446744073709551615\n-1\n',
    uintNA: 'a\n18446744073709551615\nNA\n',
    bigNA: 'a\n18446744073709551616\n\n7\nNA\n',
    bigFloat: 'a\n18446744073709551616\n1.5\n',
    zeros: 'a,b\n0,0.0\n0,-0\n12,0\n',
    headerOnly: 'a,b,c\n',
    indexCol: 'a,b\nx,1,2\ny,3,4\nz,5,6\n',
    indexColInt: 'a,b\n10,1,2\n20,3,4\n35,5,6\n',
    indexColRange: 'a,b\n9,1,2\n6,3,4\n3,5,6\n0,7,8\n',
    indexColSame: 'a,b\n5,1,2\n5,3,4\n',
    indexColOne: 'a,b\n5,1,2\n',
    blankLines: 'a,b\n\n1,2\n   \n\t\n3,4\n\n',
    crlf: 'a,b\r\n1,x\r\n\r\n2,y\r\n',
    crOnly: 'a,b\r1,x\r2,y\r',
    noTrailingNewline: 'a,b\n1,2\n3,4',
    missingFields: 'a,b,c\n1,2\n3\n4,5,6\n',
    trailingDelimiter: 'a,b\n1,\n2,\n',
    quotedEmpty: 'a,b\n"",x\n"NA",y\n"1",z\n',
    quotedNumbers: 'a\n"1"\n" 2"\n"3.5"\n',
    leadingZeros: 'zip\n00501\n02134\n',
    percents: 'a,b,c\n5%,"1,000",0x10\n6%,"2,000",0x11\n',
    notNA: 'a\nNAN\nNan\nnone\n',
    dupNames: 'a,a,,b\n1,2,3,4\n',
    dates: 'd,t\n2024-01-01,2024-01-01 10:00:00\n2024-02-29,2024-02-29T11:30:00\n',
    trailingQuoteText: 'a,b\n"ab"c,1\n"x",2\n',
    spacesInStrings: 'a\n x \ny\n',
    mixedNumStr: 'a,b\n1,x\n2.5,1\nabc,2\n',
    emptyStrings: 'a\n""\n""\n',
    naSpellings: 'v\n' + NA.map((n, i) => (n === '' ? `""` : n) + (i % 2 ? '' : '')).join('\n') + '\n',
    naInts: 'v,w\n' + NA.map((n, i) => `${n},${i}`).join('\n') + '\n',
  };
  return cases;
}

/** Longer than the low_memory block (8 columns: 65,536 rows a block) with types changing exactly at a block
 * boundary, and big enough (~19 MB) for several parallel ranges, so block rebuilding across ranges is checked. */
function longMixed(rows: number): string {
  const r = rng(7);
  const lines = ['id,ints,strAfterBlock,floatAfter,boolThenStr,naBlock,cat,text'];
  for (let i = 0; i < rows; i++) {
    const second = i >= 65_536;
    lines.push(
      [
        i,
        Math.floor(r() * 1000) - 500,
        second && i % 1000 === 0 ? 'x' + i : String(i % 97),
        second ? (r() * 100).toFixed(3) : String(i % 13),
        second && i > 140_000 ? 'maybe' : i % 2 ? 'True' : 'False',
        second ? '' : String(i),
        ['red', 'green', 'blue', 'ünïcode'][i % 4],
        i % 5 === 0 ? '' : 'w' + Math.floor(r() * 1e6).toString(36),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Wider than 16 columns (32,768-row blocks), long enough for three blocks. */
function wide(rows: number, cols: number): string {
  const r = rng(11);
  const lines = [Array.from({ length: cols }, (_, c) => `c${c}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const cells = [];
    for (let c = 0; c < cols; c++) {
      if (c % 4 === 0) cells.push(String(Math.floor(r() * 100)));
      else if (c % 4 === 1) cells.push(r() < 0.01 ? '' : (r() * 10).toFixed(2));
      else if (c % 4 === 2) cells.push(i === 70_000 && c === 2 ? 'oops' : String(i % 3));
      else cells.push(r() < 0.1 ? '"quoted, with comma"' : 'é' + Math.floor(r() * 50));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Big enough (~25 MB) for several parallel ranges; quoted fields with newlines and separators everywhere. */
function quotedNewlines(rows: number): string {
  const r = rng(3);
  const lines = ['id,note,value,flag'];
  for (let i = 0; i < rows; i++) {
    const note =
      r() < 0.3
        ? `"line one\nline, two\n""quoted"" ${i}"`
        : r() < 0.5
          ? `"${'x'.repeat(Math.floor(r() * 40))}"`
          : `n${i % 500}`;
    lines.push(`${i},${note},${(r() * 1e4).toFixed(4)},${r() < 0.5 ? 'true' : 'false'}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Every field quoted (as many exporters write them), ~12 MB so that the pool's ranges start inside it:
 * numbers, NA spellings and empty strings in quotes, a column that turns to text in a later block, text
 * with doubled quotes or text after the closing quote now and then, and \r\n line ends.
 */
function quotedEverything(rows: number): string {
  const r = rng(5);
  const q = (v: string) => `"${v}"`;
  const lines = ['"id","amount","qty","city","date","flag","mixed","note"'];
  for (let i = 0; i < rows; i++) {
    const note = r() < 0.02 ? '"say ""hi"""' : r() < 0.01 ? '"ab"cd' : q(r() < 0.5 ? '' : 'n' + Math.floor(r() * 300));
    lines.push(
      [
        q(String(i)),
        q(r() < 0.03 ? 'NA' : (r() * 1e5 - 5e4).toFixed(2)),
        q(r() < 0.01 ? ' 7' : String(Math.floor(r() * 40))),
        q(['Paris', 'Zürich', 'New York, NY', 'Oslo'][Math.floor(r() * 4)]),
        q(`20${10 + Math.floor(r() * 15)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 10)}`),
        q(r() < 0.5 ? 'True' : 'False'),
        q(i > 70_000 && i % 5000 === 0 ? 'text' + i : String(i % 1000)),
        note,
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * Text of 17 to 64 bytes from a small set, repeated: pairs that differ in one byte only (first, last,
 * at an eight-byte boundary, in the middle), so that a hash or a comparison that skips a byte merges
 * two values. Read with dtype category too, whose size counts each distinct value.
 */
function longText(rows: number): string {
  const r = rng(9);
  const values: string[] = [];
  for (const len of [17, 23, 24, 25, 31, 32, 33, 40, 47, 48, 64]) {
    const base = Array.from({ length: len }, (_, i) => String.fromCharCode(97 + ((i * 7 + len) % 26))).join('');
    values.push(base);
    for (const at of [0, 7, 8, 15, 16, len >> 1, len - 9, len - 8, len - 1]) {
      values.push(base.slice(0, at) + 'Z' + base.slice(at + 1));
    }
  }
  const distinct = [...new Set(values)];
  const lines = ['k,text,n'];
  for (let i = 0; i < rows; i++) lines.push(`${i % 7},${distinct[Math.floor(r() * distinct.length)]},${i}`);
  return lines.join('\n') + '\n';
}

/**
 * 40 columns (the kernel parses tracked integers in its loop from 32 columns on) of codes 0-1999,
 * with other spellings of the same numbers now and then ("007", "-0", "+5"), negative and big ones,
 * NA, a column that turns to floats and one that turns to text in later blocks. (Its distinct values,
 * the spellings: test/integration/footprint/wideCodes.test.ts.)
 */
export function wideCodes(rows: number): string {
  const r = rng(13);
  const cols = 40;
  const lines = [Array.from({ length: cols }, (_, c) => `k${c}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) {
      const x = r();
      const v = Math.floor(r() * (c % 3 === 0 ? 50 : 2000));
      if (c === 38 && i > 40_000) cells.push(x < 0.5 ? (v / 4).toFixed(2) : String(v));
      else if (c === 39 && i > 50_000 && x < 0.001) cells.push('code' + v);
      else if (x < 0.002) cells.push(String(v).padStart(3, '0'));
      else if (x < 0.003) cells.push(['-0', '+5', '-' + v, String(20_000 + v), '', '0', '00'][Math.floor(r() * 7)]);
      else cells.push(String(v));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

export function writeCorpus(dir: string): CorpusFile[] {
  mkdirSync(dir, { recursive: true });
  const files: CorpusFile[] = [];
  for (const [name, text] of Object.entries(smallCases())) {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, text);
    files.push({ name, path, format: 'csv' });
  }
  const latin = join(dir, 'latin1.csv');
  writeFileSync(latin, Buffer.from('a,b\ncafé,1\nÀ la carte,2\n', 'latin1'));
  files.push({ name: 'latin1', path: latin, format: 'csv', read: { encoding: 'latin-1' } });
  const tsv = join(dir, 'table.tsv');
  writeFileSync(tsv, 'a\tb\tc\n1\tx y\t2.5\n\t"q\tz"\t3\n\t\t\n');
  files.push({ name: 'tsv', path: tsv, format: 'tsv' });
  const long = longMixed(500_000);
  writeFileSync(join(dir, 'longMixed.csv'), long);
  files.push({ name: 'longMixed', path: join(dir, 'longMixed.csv'), format: 'csv' });
  writeFileSync(join(dir, 'longMixed.csv.gz'), gzipSync(long));
  files.push({ name: 'longMixed.gz', path: join(dir, 'longMixed.csv.gz'), format: 'csv' });
  writeFileSync(join(dir, 'wide.csv'), wide(100_000, 20));
  files.push({ name: 'wide', path: join(dir, 'wide.csv'), format: 'csv' });
  writeFileSync(join(dir, 'quotedNewlines.csv'), quotedNewlines(400_000));
  files.push({ name: 'quotedNewlines', path: join(dir, 'quotedNewlines.csv'), format: 'csv' });
  writeFileSync(join(dir, 'quotedEverything.csv'), quotedEverything(200_000));
  files.push({ name: 'quotedEverything', path: join(dir, 'quotedEverything.csv'), format: 'csv' });
  const longTextPath = join(dir, 'longText.csv');
  writeFileSync(longTextPath, longText(300_000));
  files.push({ name: 'longText', path: longTextPath, format: 'csv' });
  files.push({ name: 'longText:category', path: longTextPath, format: 'csv', read: { dtype: { text: 'category' } } });
  const wideCodesPath = join(dir, 'wideCodes.csv');
  writeFileSync(wideCodesPath, wideCodes(70_000));
  files.push({ name: 'wideCodes', path: wideCodesPath, format: 'csv' });
  const tsvGz = join(dir, 'table.tsv.gz');
  writeFileSync(tsvGz, gzipSync('a\tb\n1\tx\n2\ty\n'));
  files.push({ name: 'tsv.gz', path: tsvGz, format: 'tsv' });
  // read options
  const opts = join(dir, 'options.csv');
  writeFileSync(
    opts,
    'i,f,s,d,b\n1,1.5,x,2024-01-01,True\n2,,y,2024-01-02,False\n3,2.25,x,2024-01-03,\n4,3.5,"",2024-01-04,True\n',
  );
  const optionCases: [string, ReadOptions][] = [
    ['usecols', { usecols: ['i', 's'] }],
    ['nrows', { nrows: 2 }],
    ['dtypes', { dtype: { i: 'int32', f: 'float32', s: 'category', b: 'boolean' } }],
    ['dtypeStr', { dtype: 'str' }],
    ['dtypeObject', { dtype: { s: 'object', i: 'Int64' } }],
    ['dtypeString', { dtype: { s: 'string' } }],
    ['parseDates', { parseDates: ['d'] }],
  ];
  for (const [name, read] of optionCases) files.push({ name: `options:${name}`, path: opts, format: 'csv', read });
  return files;
}

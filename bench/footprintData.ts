// Deterministic CSV files for the footprint benchmarks, one per column kind (integers, short and long
// decimals, ISO dates, bools, mostly-empty and high-cardinality text), three shapes (every field quoted,
// long repeated text, 200 columns) and a mixed file shaped like the
// one issue 18 measured (12M rows of ids, two-decimal amounts, small ints, a city, ISO dates, a float
// with NA, bools, mostly-empty text). Written to bench/.data/ once; the same seed gives the same bytes.
import { closeSync, existsSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

type Rng = () => number;

function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CITIES = ['Paris', 'Berlin', 'São Paulo', 'Zürich', 'New York', 'Tokyo', 'Lagos', 'Lima', 'Oslo', 'Austin'];
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const isoDate = (r: Rng) =>
  `${2015 + Math.floor(r() * 10)}-${pad2(1 + Math.floor(r() * 12))}-${pad2(1 + Math.floor(r() * 28))}`;
/** Money: mostly below 1,000, a long tail up to 100,000 (7 significant digits), two decimals. */
const amount = (r: Rng) => (r() < 0.7 ? r() * 1000 : r() * 100_000).toFixed(2);
const word = (r: Rng) => Math.floor(r() * 36 ** 8).toString(36);
/** A float as Python's repr (pandas' to_csv) writes it: shortest round trip, up to 17 digits, e-05. */
const repr = (x: number) =>
  x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16)
    ? x.toExponential().replace(/e([-+])(\d)$/, 'e$10$2')
    : String(x);
const TRIPS_START = Date.UTC(2019, 0, 1) / 1000;
/** A time to the second, as trip records write it: `2019-01-01 00:46:40`. */
const timestamp = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');

export interface BenchFile {
  name: string;
  /** What the file holds, for the report. */
  kind: string;
  header: string[];
  row: (r: Rng, i: number) => string;
  /** How much to write: bytes (about: whole chunks of rows), or rows exactly. */
  size: { bytes: number } | { rows: number };
}

const MB = 1e6;

export const KIND_FILES: BenchFile[] = [
  {
    name: 'kind-int',
    kind: 'integers (sequential id, 0..5M, 0..99)',
    header: ['id', 'user', 'qty'],
    row: (r, i) => `${i},${Math.floor(r() * 5_000_000)},${Math.floor(r() * 100)}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-dec2',
    kind: 'two-decimal amounts (to 100,000.00)',
    header: ['amount', 'price', 'fee'],
    row: (r) => `${amount(r)},${amount(r)},${(r() * 50).toFixed(2)}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-declong',
    kind: 'long decimals (15 significant digits)',
    header: ['ratio', 'score'],
    row: (r) => `${r().toPrecision(15)},${(r() * 1000).toPrecision(15)}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-float17',
    kind: 'floats as pandas writes them (up to 17 significant digits, small ones with an exponent)',
    header: ['uniform', 'normal', 'tiny'],
    row: (r) => {
      const normal = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
      return `${repr(r())},${repr(normal)},${repr(r() ** 8)}`;
    },
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-date',
    kind: 'ISO dates',
    header: ['created', 'shipped', 'due'],
    row: (r) => `${isoDate(r)},${isoDate(r)},${isoDate(r)}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-timestamp',
    kind: 'timestamps to the second (date-like text, a new value every row)',
    header: ['pickup', 'dropoff'],
    row: (r, i) => {
      const t = TRIPS_START + i * 2 + Math.floor(r() * 2);
      return `${timestamp(t)},${timestamp(t + 60 + Math.floor(r() * 3000))}`;
    },
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-bool',
    kind: 'bools (True/False)',
    header: ['a', 'b', 'c', 'd'],
    row: (r) =>
      `${r() < 0.5 ? 'True' : 'False'},${r() < 0.9 ? 'True' : 'False'},${r() < 0.5 ? 'True' : 'False'},${r() < 0.1 ? 'True' : 'False'}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-textempty',
    kind: 'mostly-empty text (95% empty)',
    header: ['id', 'note', 'tag', 'memo'],
    row: (r, i) =>
      `${i},${r() < 0.05 ? 'see ' + word(r) : ''},${r() < 0.05 ? word(r) : ''},${r() < 0.02 ? 'x' + word(r) : ''}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'kind-texthigh',
    kind: 'high-cardinality text',
    header: ['key', 'token', 'label'],
    row: (r) => `k${word(r)},${word(r)}${word(r)},${CITIES[Math.floor(r() * CITIES.length)]}-${word(r)}`,
    size: { bytes: 150 * MB },
  },
];

const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'.split(
  ' ',
);
/** A catalog's descriptions: 1,000 of 15 to 30 words (about 150 bytes), each seen again and again. */
const DESCRIPTIONS = (() => {
  const r = rng(42);
  return Array.from({ length: 1000 }, () =>
    Array.from({ length: 15 + Math.floor(r() * 16) }, () => LOREM[Math.floor(r() * LOREM.length)]).join(' '),
  );
})();
const WIDE_COLUMNS = 200;

/** Shapes the kinds above do not have: every field quoted, long repeated text, many integer codes, many columns. */
export const SHAPE_FILES: BenchFile[] = [
  {
    name: 'shape-quoted',
    kind: 'the mixed shape with every field quoted, as many exporters write it',
    header: ['id', 'amount', 'qty', 'city', 'date', 'rating', 'active', 'note'],
    row: (r, i) =>
      [
        1_000_000 + i,
        amount(r),
        Math.floor(r() * 20),
        CITIES[Math.floor(r() * CITIES.length)],
        isoDate(r),
        r() < 0.1 ? '' : (r() * 5).toFixed(3),
        r() < 0.5 ? 'True' : 'False',
        r() < 0.03 ? 'note ' + word(r) : '',
      ]
        .map((v) => `"${v}"`)
        .join(','),
    size: { bytes: 150 * MB },
  },
  {
    name: 'shape-longtext',
    kind: 'long repeated text (1,000 descriptions of ~150 bytes), an id and a price',
    header: ['id', 'price', 'description'],
    row: (r, i) => `${i},${(r() * 1000).toFixed(2)},${DESCRIPTIONS[Math.floor(r() * DESCRIPTIONS.length)]}`,
    size: { bytes: 150 * MB },
  },
  {
    name: 'shape-codes',
    kind: 'ten columns of integer codes 0..999 (product, region, answer codes)',
    header: Array.from({ length: 10 }, (_, c) => `code${c}`),
    row: (r) => Array.from({ length: 10 }, () => String(Math.floor(r() * 1000))).join(','),
    size: { bytes: 150 * MB },
  },
  {
    name: 'shape-wide',
    kind: `${WIDE_COLUMNS} columns: codes 0..999 and three-decimal measurements, alternating`,
    header: Array.from({ length: WIDE_COLUMNS }, (_, c) => `c${c}`),
    row: (r) =>
      Array.from({ length: WIDE_COLUMNS }, (_, c) =>
        c % 2 ? String(Math.floor(r() * 1000)) : (r() * 100).toFixed(3),
      ).join(','),
    size: { bytes: 150 * MB },
  },
];

/** The mixed file of issue 18: 12M rows, about 600 MB. */
export const MIXED_FILE: BenchFile = {
  name: 'mixed-12m',
  kind: 'mixed: id, amount, qty, city, date, float with NA, bool, mostly-empty text',
  header: ['id', 'amount', 'qty', 'city', 'date', 'rating', 'active', 'note'],
  row: (r, i) =>
    `${1_000_000 + i},${amount(r)},${Math.floor(r() * 20)},${CITIES[Math.floor(r() * CITIES.length)]},${isoDate(r)},${
      r() < 0.1 ? '' : (r() * 5).toFixed(3)
    },${r() < 0.5 ? 'True' : 'False'},${r() < 0.03 ? 'note ' + word(r) : ''}`,
  size: { rows: 12_000_000 },
};

/** A second mixed shape, like a city's published taxi trips: two timestamps, amounts, small codes. */
export const TRIPS_FILE: BenchFile = {
  name: 'trips-9m',
  kind: 'trips: pickup and drop-off times, passengers, distance, fare, tip (often 0), payment type, a flag, a zone',
  header: ['pickup', 'dropoff', 'passengers', 'distance', 'fare', 'tip', 'payment', 'flag', 'zone'],
  row: (r, i) => {
    const t = TRIPS_START + Math.floor(i / 3) + Math.floor(r() * 2);
    const fare = 2.5 + r() * 80;
    return `${timestamp(t)},${timestamp(t + 60 + Math.floor(r() * 3000))},${1 + Math.floor(r() * 6)},${(r() * 30).toFixed(2)},${fare.toFixed(2)},${r() < 0.4 ? '0' : (fare * r() * 0.3).toFixed(2)},${1 + Math.floor(r() * 4)},${r() < 0.99 ? 'N' : 'Y'},${1 + Math.floor(r() * 263)}`;
  },
  size: { rows: 9_000_000 },
};

/** Writes the file once (its size in rows or bytes); the same seed gives the same bytes. */
export function ensureBenchFile(dataDir: string, file: BenchFile): string {
  const path = join(dataDir, `${file.name}.csv`);
  if (existsSync(path)) return path;
  const { size } = file;
  const r = rng([...file.name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 0x5eed));
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  writeSync(fd, file.header.join(',') + '\n');
  let written = 0;
  let i = 0;
  while ('rows' in size ? i < size.rows : written < size.bytes) {
    const lines: string[] = [];
    for (let k = 0; k < 10_000; k++, i++) lines.push(file.row(r, i));
    const chunk = Buffer.from(lines.join('\n') + '\n');
    writeSync(fd, chunk);
    written += chunk.length;
  }
  closeSync(fd);
  renameSync(temp, path);
  return path;
}

export const fileSize = (path: string) => statSync(path).size;

/** Reads `path` from `from` to its end in 8 MiB pieces, each handed to `use` (valid until the next). */
export function eachPiece(path: string, from: number, use: (piece: Buffer) => void): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  for (let pos = from, n; (n = readSync(fd, buf, 0, buf.length, pos)) > 0; pos += n) use(buf.subarray(0, n));
  closeSync(fd);
}

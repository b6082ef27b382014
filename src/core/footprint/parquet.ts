/**
 * Parquet footprints: pd.read_parquet (pyarrow) keeps numeric widths; ints with nulls become float64,
 * bools with nulls object (True/False/None), date32 object datetime.date, decimals object Decimal,
 * dictionaries category, text object (pandas < 3) or `str` (pandas 3). Row counts, types and null
 * counts come from the metadata; text columns are read page by page for their lengths, in the worker
 * pool for big files (parquetColumns.ts).
 */
import { setMaxListeners } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { parquetMetadataAsync, type FileMetaData, type SchemaElement } from 'hyparquet';
import type { ParquetNumberResult, ParquetTextResult } from './workerProtocol';
import { dictionaryFields } from './arrowSchema';
import { compareCodePoints } from './distinct';
import { categoryCodeBytes, categoryHashTableBytes, pyStrSize, rangeIndexBytes, versionAtLeast } from './pandasSizes';
import { fileBuffer } from './parquetColumns';
import {
  columnReader,
  distinctOf,
  exactValidity,
  varianceOfMean,
  quickSample,
  quickNumberSample,
  scaleSample,
} from './parquetReads';
import { numberStatsFromMetadata } from './parquetNumbers';
import { measureText, width } from './textWidth';
import {
  FootprintError,
  type ColumnProfile,
  type FootprintOptions,
  type FootprintResult,
  type PandasModel,
} from './types';

const NONE = 16;
const NAN = 24;
const DECIMAL = 104;
const DATE = 32;

/** getsizeof summed over a text column's str objects, from its values and code points per width class. */
function pyBytesOf(classes: number[], python: string): number {
  return (
    classes[0] * pyStrSize(0, 0, python) +
    classes[1] +
    classes[2] * pyStrSize(0, 200, python) +
    classes[3] +
    classes[4] * pyStrSize(0, 300, python) +
    2 * classes[5] +
    classes[6] * pyStrSize(0, 70000, python) +
    4 * classes[7]
  );
}

function intWidth(el: SchemaElement): { bits: number; signed: boolean } {
  const lt = el.logical_type;
  if (lt?.type === 'INTEGER') return { bits: lt.bitWidth, signed: lt.isSigned };
  const ct = el.converted_type;
  const m = ct ? /^(U?)INT_(8|16|32|64)$/.exec(ct) : null;
  if (m) return { bits: Number(m[2]), signed: m[1] === '' };
  return { bits: el.type === 'INT32' ? 32 : 64, signed: true };
}

function timestampUnit(el: SchemaElement): string | null {
  const lt = el.logical_type;
  if (lt?.type === 'TIMESTAMP') return { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' }[lt.unit];
  if (el.converted_type === 'TIMESTAMP_MILLIS') return 'ms';
  if (el.converted_type === 'TIMESTAMP_MICROS') return 'us';
  return null;
}

function baseProfile(
  name: string,
  dtype: string,
  bytes: number,
  nulls: number,
  kind: ColumnProfile['valueKind'],
): ColumnProfile {
  return {
    name,
    dtype,
    bytes,
    nulls,
    distinct: null,
    highCardinality: false,
    valueKind: kind,
    min: null,
    max: null,
    zeros: 0,
    allIntegral: kind === 'integer',
    float32: null,
    dateLike: false,
    oddBoolSpellings: [],
    categoryBytes: null,
  };
}

/** An int or float column that pandas reads as numbers (not a date, timestamp or decimal). */
function isPlainNumber(el: SchemaElement): boolean {
  if (!['INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(el.type ?? '')) return false;
  if (el.logical_type?.type === 'DECIMAL' || el.converted_type === 'DECIMAL') return false;
  if (el.logical_type?.type === 'DATE' || el.converted_type === 'DATE') return false;
  return timestampUnit(el) === null && el.logical_type?.type !== 'TIME' && !el.converted_type?.startsWith('TIME');
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
}

export async function analyzeParquet(
  path: string,
  fileBytes: number,
  options: FootprintOptions,
): Promise<Omit<FootprintResult, 'elapsedMs'> & { elapsedMs: number }> {
  const model: PandasModel = options.model;
  const p3 = versionAtLeast(model.pandas, 3);
  const fd = openSync(path, 'r');
  try {
    const file = fileBuffer(fd, fileBytes);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (error) {
      throw new FootprintError(
        'parquet',
        `The Parquet metadata cannot be read: ${(error as Error).message}.`,
        'The file may be truncated or still being written; pandas would raise ArrowInvalid.',
      );
    }
    const rows = Number(metadata.num_rows);
    const kv = new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    const pandasMeta = kv.has('pandas')
      ? (JSON.parse(kv.get('pandas') ?? '{}') as {
          index_columns?: unknown[];
          columns?: { name: string; field_name: string; pandas_type: string }[];
        })
      : null;
    const dictionaries = dictionaryFields(kv.get('ARROW:schema'));
    for (const c of pandasMeta?.columns ?? []) if (c.pandas_type === 'categorical') dictionaries.add(c.field_name);
    const indexNames = new Set((pandasMeta?.index_columns ?? []).filter((c): c is string => typeof c === 'string'));
    const top = metadata.schema.slice(1);
    const warnings: string[] = [];
    // First the columns and their leaf indexes (a nested column spans several leaves)...
    const entries: { el: SchemaElement; leaf: number | null }[] = [];
    for (let i = 0, leaf = 0; i < top.length; i++) {
      const el = top[i];
      if (!el.num_children) {
        entries.push({ el, leaf: leaf++ });
        continue;
      }
      warnings.push(
        `Column '${el.name}' is nested (${el.converted_type ?? 'struct'}); its object size is not modelled and counts pointers only.`,
      );
      entries.push({ el, leaf: null });
      let skip = el.num_children;
      while (skip-- > 0) {
        const child = top[++i];
        if (child.num_children) skip += child.num_children;
        else leaf++;
      }
    }
    // ...then all of them at once, so that the columns to read run side by side in the worker pool. The
    // first failure stops the other reads.
    const stop = new AbortController();
    // (the pool listens to it once per column read)
    setMaxListeners(Math.max(10, entries.length + 1), stop.signal);
    const onAbort = () => stop.abort();
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) stop.abort();
    const read = columnReader(path, file, metadata, fileBytes, options, stop.signal);
    /** Quick mode: the squared standard error of each sampled column's bytes. */
    const sampled: number[] = [];
    const profileOf = async (el: SchemaElement, column: number | null): Promise<ColumnProfile> => {
      if (column === null) return baseProfile(el.name, 'object', 8 * rows, 0, 'mixed');
      const chunks = metadata.row_groups.map((rg) => rg.columns[column]?.meta_data);
      const nullCounts = chunks.map((c) => c?.statistics?.null_count);
      const nullsKnown = el.repetition_type === 'REQUIRED' || nullCounts.every((n) => n !== undefined);
      let nulls = el.repetition_type === 'REQUIRED' ? 0 : nullCounts.reduce((s: number, n) => s + Number(n ?? 0), 0);
      const stats = chunks.map((c) => c?.statistics);
      const mins = stats.map((s) => numberOrNull(s?.min_value ?? s?.min)).filter((v): v is number => v !== null);
      const maxs = stats.map((s) => numberOrNull(s?.max_value ?? s?.max)).filter((v): v is number => v !== null);
      const isText =
        el.type === 'BYTE_ARRAY' &&
        (el.logical_type?.type === 'STRING' ||
          el.converted_type === 'UTF8' ||
          el.logical_type?.type === 'JSON' ||
          el.converted_type === 'JSON' ||
          el.logical_type?.type === 'ENUM');
      let profile: ColumnProfile;
      if (
        isText ||
        (el.type === 'BYTE_ARRAY' && dictionaries.has(el.name)) ||
        (!nullsKnown && el.type === 'BYTE_ARRAY')
      ) {
        const cat = dictionaries.has(el.name);
        const sample = options.mode === 'quick' ? quickSample(metadata, column) : null;
        let raw = await read<ParquetTextResult>({ leaf: column, read: 'text', distinct: true, sample });
        // (a sample of one page cannot say how far off it is: then the column is read whole)
        if (raw.pages && raw.pages.length < 2)
          raw = await read({ leaf: column, read: 'text', distinct: true, sample: null });
        const exact = nullsKnown ? { nulls, validity: exactValidity(chunks) } : null;
        const t = {
          ...raw,
          ...(raw.pages ? scaleSample(raw, rows, exact) : {}),
          distinct: distinctOf(raw),
        };
        nulls = t.nulls;
        const textBytes = (s: { nulls: number; classes: number[]; utf8: number; validity: number }) =>
          Math.round(
            p3 && model.pyarrow
              ? 8 * rows + s.utf8 + s.validity
              : 8 * rows + pyBytesOf(s.classes, model.python) + s.nulls * (p3 ? NAN : NONE),
          );
        const k = t.distinct?.size ?? null;
        const sortedFirstSeen = t.distinct
          ? [...t.distinct.keys()].every(
              (v, j, a) =>
                j === 0 ||
                compareCodePoints(Buffer.from(a[j - 1], 'latin1').toString(), Buffer.from(v, 'latin1').toString()) < 0,
            )
          : false;
        const distinctUtf8 = t.distinct ? [...t.distinct.values()].reduce((a, b) => a + b, 0) : 0;
        const distinctPy = t.distinct
          ? [...t.distinct.keys()].reduce((a, key) => a + pyStrSize(...codeInfo(key), model.python), 0)
          : 0;
        const categories = k === null ? 0 : 8 * k + (p3 && model.pyarrow ? distinctUtf8 : distinctPy);
        const codes = k === null ? 0 : rows * categoryCodeBytes(k);
        // A dictionary column read as category: pandas 2 counts the categories' hash table always,
        // pandas 3 only when it had to sort them (first-seen order not sorted). Measured on 2.2.3, 3.0.6.
        const readHash = k !== null && (!p3 || !sortedFirstSeen) ? categoryHashTableBytes(k) : 0;
        const catBytes = k === null ? null : codes + categories + readHash;
        // A text column turned into category after the read (`.astype('category')`, what the advice
        // generates for Parquet): pandas < 3 counts the hash table; pandas 3 never, but its arrow
        // categories carry a validity bitmap. Measured on 2.2.3 and 3.0.6 (arrow and Python strings).
        // On pandas < 3, hashing a non-ASCII category makes CPython cache its UTF-8 form inside the str
        // object, which getsizeof then counts: UTF-8 length + 1 more bytes per such category.
        const utf8Cache =
          k === null || p3
            ? 0
            : [...t.distinct!.entries()].reduce((a, [key, utf8]) => a + (codeInfo(key)[1] >= 128 ? utf8 + 1 : 0), 0);
        const astypeBytes =
          k === null
            ? null
            : codes +
              categories +
              (p3 ? (model.pyarrow ? Math.ceil(k / 8) : 0) : categoryHashTableBytes(k) + utf8Cache);
        let bytes: number;
        let dtype: string;
        if (cat && catBytes !== null) {
          dtype = 'category';
          bytes = catBytes;
        } else {
          dtype = p3 ? 'str' : 'object';
          bytes = textBytes(t);
          if (raw.pages) {
            // each sampled page estimates the column on its own: their spread is the sample's error
            sampled.push(varianceOfMean(raw.pages.map((page) => textBytes(scaleSample(page, rows, exact)))));
          }
        }
        profile = {
          ...baseProfile(el.name, dtype, bytes, nulls, 'string'),
          distinct: k,
          highCardinality: k === null,
          categoryBytes: cat ? catBytes : astypeBytes,
          dateLike: !cat && t.dateShape > 0,
        };
      } else if (el.type === 'BOOLEAN') {
        profile =
          nulls > 0
            ? baseProfile(el.name, 'object', 8 * rows + 28 * (rows - nulls) + NONE * nulls, nulls, 'bool')
            : baseProfile(el.name, 'bool', rows, 0, 'bool');
      } else if (el.type === 'FLOAT' || el.type === 'DOUBLE') {
        const w = el.type === 'FLOAT' ? 4 : 8;
        profile = baseProfile(el.name, w === 4 ? 'float32' : 'float64', w * rows, nulls, 'float');
      } else if (el.type === 'INT96') {
        profile = baseProfile(el.name, 'datetime64[ns]', 8 * rows, nulls, 'integer');
      } else if (el.logical_type?.type === 'DECIMAL' || el.converted_type === 'DECIMAL') {
        profile = baseProfile(el.name, 'object', 8 * rows + DECIMAL * (rows - nulls) + NONE * nulls, nulls, 'float');
      } else if (el.logical_type?.type === 'DATE' || el.converted_type === 'DATE') {
        profile = baseProfile(el.name, 'object', 8 * rows + DATE * (rows - nulls) + NONE * nulls, nulls, 'string');
      } else if (timestampUnit(el)) {
        const unit = versionAtLeast(model.pandas, 2) ? timestampUnit(el) : 'ns';
        const tz = el.logical_type?.type === 'TIMESTAMP' && el.logical_type.isAdjustedToUTC ? ', UTC' : '';
        profile = baseProfile(el.name, `datetime64[${unit}${tz}]`, 8 * rows, nulls, 'integer');
      } else if (el.type === 'INT32' || el.type === 'INT64') {
        const { bits, signed } = intWidth(el);
        profile =
          nulls > 0
            ? baseProfile(el.name, 'float64', 8 * rows, nulls, 'integer')
            : baseProfile(el.name, `${signed ? 'int' : 'uint'}${bits}`, (bits / 8) * rows, 0, 'integer');
      } else {
        // binary: Python bytes objects (33 + length), counted as text lengths
        const t = await read<ParquetTextResult>({ leaf: column, read: 'text', distinct: false, sample: null });
        nulls = t.nulls;
        profile = baseProfile(
          el.name,
          'object',
          8 * rows + 33 * (t.rows - t.nulls) + t.utf8 + NONE * nulls,
          nulls,
          'string',
        );
      }
      if (profile.valueKind === 'integer' || profile.valueKind === 'float') {
        profile.min = mins.length ? Math.min(...mins) : null;
        profile.max = maxs.length ? Math.max(...maxs) : null;
      }
      if (isPlainNumber(el) && nulls === rows) {
        // no value at all, as a CSV column of NA only: nothing to measure
        profile.valueKind = 'empty';
        profile.allIntegral = false;
      } else if (isPlainNumber(el)) {
        // What the metadata does not say: zeros, whole values, and what float32 would do to them (only the
        // advice needs these; the totals are exact without them). Quick mode reads the pages it samples
        // for text, so its advice has the same facts, from a sample, as a quick CSV scan's.
        const complete = mins.length === chunks.length && maxs.length === chunks.length;
        const sample = options.mode === 'quick' ? quickNumberSample(metadata, column) : null;
        const n =
          (complete ? numberStatsFromMetadata(el, profile) : null) ??
          (await read<ParquetNumberResult>({ leaf: column, read: 'number', distinct: false, sample }));
        profile.zeros = n.zeros;
        if (profile.valueKind === 'float') profile.allIntegral = n.allIntegral;
        if (profile.dtype === 'float64') {
          profile.float32 = {
            maxRelativeError: n.maxRelativeError,
            preservesWrittenPrecision: n.preservesWrittenPrecision,
          };
        }
      }
      return profile;
    };
    let profiles: ColumnProfile[];
    try {
      profiles = await Promise.all(entries.map(({ el, leaf }) => profileOf(el, leaf)));
    } catch (error) {
      stop.abort();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    const columns: ColumnProfile[] = [];
    let indexBytes = rangeIndexBytes(model);
    entries.forEach(({ el, leaf }, j) => {
      if (leaf !== null && indexNames.has(el.name)) indexBytes = profiles[j].bytes;
      else columns.push(profiles[j]);
    });
    const totalBytes = indexBytes + columns.reduce((s, c) => s + c.bytes, 0);
    return {
      file: path,
      format: 'parquet',
      compression: null,
      fileBytes,
      rows,
      indexBytes,
      totalBytes,
      columns,
      model,
      mode: sampled.length ? 'quick' : 'exact',
      // twice the standard error of the total (the sampled columns' errors taken as independent), rounded
      // up to 0.01%: a sample never claims to be exact, even when all its pages agree
      uncertaintyPercent: sampled.length
        ? Math.max(
            0.01,
            Math.ceil((20_000 * Math.sqrt(sampled.reduce((a, b) => a + b, 0))) / Math.max(1, totalBytes)) / 100,
          )
        : 0,
      warnings,
      elapsedMs: 0,
    };
  } finally {
    closeSync(fd);
  }
}

/** Code points and widest code point of a UTF-8 key stored as latin1 text. */
function codeInfo(key: string): [number, number] {
  const bytes = Buffer.from(key, 'latin1');
  measureText(bytes, 0, bytes.length, 'utf8');
  return [width.codePoints, width.maxCodePoint];
}

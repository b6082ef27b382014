/**
 * Turns the arguments of a read_csv/read_table/read_parquet call into the footprint engine's
 * ReadOptions, exactly as pandas would apply them, and names every argument the estimate cannot
 * account for.
 */
import type { Node } from 'web-tree-sitter';
import type { ReadOptions } from '../footprint/types';
import { evalLiteral } from './literals';
import type { ImportTable, KeywordArg, LiteralValue, ReadFunction } from './types';

/** Arguments that never change the frame pandas builds. */
const NEUTRAL = new Set(['memory_map', 'storage_options', 'verbose', 'cache_dates', 'filesystem', 'use_threads']);

/** Literal values equal to pandas' defaults: passing them changes nothing. */
const DEFAULTS: Record<string, LiteralValue[]> = {
  header: ['infer'],
  index_col: [null, false],
  skiprows: [null, 0],
  skipfooter: [0],
  na_filter: [true],
  low_memory: [true],
  engine: [null, 'c', 'auto', 'pyarrow'],
  quotechar: ['"'],
  thousands: [null],
  decimal: ['.'],
  comment: [null],
  skip_blank_lines: [true],
  keep_default_na: [true],
  na_values: [null],
  chunksize: [null],
  iterator: [false],
  columns: [null],
  dtype_backend: [],
};

/** numpy / builtin / pandas dtype spellings -> the dtype name pandas reports. */
const BUILTIN_DTYPES: Record<string, string> = {
  float: 'float64',
  int: 'int64',
  bool: 'bool',
  str: 'str',
  object: 'object',
};
const NUMPY_DTYPES = new Set([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float16',
  'float32',
  'float64',
  'bool_',
  'object_',
  'str_',
]);
const PANDAS_DTYPE_CALLS: Record<string, string> = {
  Int8Dtype: 'Int8',
  Int16Dtype: 'Int16',
  Int32Dtype: 'Int32',
  Int64Dtype: 'Int64',
  UInt8Dtype: 'UInt8',
  UInt16Dtype: 'UInt16',
  UInt32Dtype: 'UInt32',
  UInt64Dtype: 'UInt64',
  Float32Dtype: 'Float32',
  Float64Dtype: 'Float64',
  BooleanDtype: 'boolean',
  StringDtype: 'string',
  CategoricalDtype: 'category',
};

/** A dtype written as a string, a numpy attribute, a builtin type or an argument-less pandas dtype call. */
export function evalDtype(node: Node, imports: ImportTable): string | undefined {
  const literal = evalLiteral(node);
  if (typeof literal === 'string') return literal;
  if (node.type === 'identifier' && node.text in BUILTIN_DTYPES) return BUILTIN_DTYPES[node.text];
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object')?.text ?? '';
    const attribute = node.childForFieldName('attribute')?.text ?? '';
    if (imports.numpyModules.includes(object) && NUMPY_DTYPES.has(attribute)) return attribute.replace(/_$/, '');
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    const owner = fn?.type === 'attribute' ? (fn.childForFieldName('object')?.text ?? '') : '';
    const argless = (args?.namedChildren.filter((c) => c && c.type !== 'comment').length ?? 1) === 0;
    if (name && name in PANDAS_DTYPE_CALLS && argless && (owner === '' || imports.pandasModules.includes(owner))) {
      return PANDAS_DTYPE_CALLS[name];
    }
  }
  return undefined;
}

const shortText = (node: Node): string => {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 24 ? text.slice(0, 23) + '…' : text;
};

const isStringList = (v: LiteralValue | undefined): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

export interface ReadArgs {
  read: ReadOptions;
  unaccounted: string[];
}

/** Applies the keyword arguments of one call; `keywords` excludes the path argument. */
export function readOptionsFrom(
  fn: ReadFunction,
  keywords: KeywordArg[],
  nodes: Map<KeywordArg, Node>,
  imports: ImportTable,
): ReadArgs {
  const read: ReadOptions = {};
  const unaccounted: string[] = [];
  const reject = (k: KeywordArg) => unaccounted.push(`${k.name}=${shortText(nodes.get(k)!)}`);
  if (fn === 'read_table') read.sep = '\t';
  for (const k of keywords) {
    const v = k.value;
    const node = nodes.get(k)!;
    if (NEUTRAL.has(k.name)) continue;
    switch (fn === 'read_parquet' && k.name === 'columns' ? 'usecols' : k.name) {
      case 'sep':
      case 'delimiter':
        if (typeof v === 'string' && v.length === 1)
          read.sep = v; // longer seps are regexes (python engine)
        else if (v === null && fn === 'read_csv') continue;
        else reject(k);
        continue;
      case 'usecols':
        if (v === null) continue;
        if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
          read.usecols = v as (string | number)[];
        } else reject(k);
        continue;
      case 'nrows':
        if (v === null) continue;
        if (typeof v === 'number' && Number.isInteger(v) && v >= 0) read.nrows = v;
        else reject(k);
        continue;
      case 'dtype': {
        if (v === null) continue;
        const single = evalDtype(node, imports);
        if (single !== undefined) {
          read.dtype = single;
          continue;
        }
        const dict = node.type === 'dictionary' ? dtypeDict(node, imports) : undefined;
        if (dict) read.dtype = dict;
        else reject(k);
        continue;
      }
      case 'parse_dates':
        if (v === false || v === null) continue;
        if (v === true || isStringList(v)) read.parseDates = v;
        else reject(k);
        continue;
      case 'compression':
        if (v === 'infer' || v === 'gzip' || v === null) read.compression = v;
        else reject(k);
        continue;
      case 'encoding':
        if (typeof v === 'string') read.encoding = v;
        else if (v !== null) reject(k);
        continue;
      default:
        if (v !== undefined && DEFAULTS[k.name]?.some((d) => d === v)) continue;
        reject(k);
    }
  }
  return { read, unaccounted };
}

function dtypeDict(node: Node, imports: ImportTable): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of node.namedChildren) {
    if (!pair || pair.type === 'comment') continue;
    const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    const value = pair.type === 'pair' ? pair.childForFieldName('value') : null;
    const name = key ? evalLiteral(key) : undefined;
    const dtype = value ? evalDtype(value, imports) : undefined;
    if (typeof name !== 'string' || dtype === undefined) return undefined;
    out[name] = dtype;
  }
  return out;
}

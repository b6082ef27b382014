/**
 * Everything the panel and the CLI show beside the scan: the downcast plan and its code, and, when
 * the memory available is known, the sub-sample plan and the usecols/chunksize fallbacks.
 */
import { planDowncast, type DowncastPlan } from './advice';
import { generateCode, groupDigits, pyStr } from './codegen';
import { planFit, planSubsample, type Environment, type FitPlan, type SubsamplePlan } from './subsample';
import type { FootprintResult } from './types';

export interface Advice {
  plan: DowncastPlan;
  /** Python that loads the file with the plan applied; its footprint is plan.suggestedTotalBytes. */
  code: string;
  savedBytes: number;
  /** 0..100. */
  savedPercent: number;
  /** Present when the environment is known. */
  subsample?: SubsamplePlan & { code: string | null };
  fit?: FitPlan & { usecolsCode: string | null; chunksCode: string | null };
  /** Code that turns the mostly-zero columns sparse after loading; null when none is. */
  sparseCode: string | null;
  /** What the implicit index (leading fields the header does not name) costs and the ways out; null without one. */
  indexNote: string | null;
}

export interface AdviceOptions {
  /** How the file's path appears in the generated code. */
  path?: string;
  env?: Environment;
}

export function adviseFootprint(result: FootprintResult, options: AdviceOptions = {}): Advice {
  const plan = planDowncast(result);
  const code = generateCode(result, plan, { path: options.path });
  const savedBytes = plan.totalBytes - plan.suggestedTotalBytes;
  const advice: Advice = {
    plan,
    code,
    savedBytes,
    savedPercent: plan.totalBytes > 0 ? (100 * savedBytes) / plan.totalBytes : 0,
    sparseCode: sparseCode(plan),
    indexNote: indexNote(result),
  };
  if (options.env) {
    const sub = planSubsample(plan.suggestedTotalBytes, plan.indexBytes, options.env);
    const sampleCode =
      sub.sampleFraction > 0 && sub.sampleFraction < 1
        ? generateCode(result, plan, { path: options.path, sampleFraction: sub.sampleFraction }, sub.sampleFrameBytes)
        : null;
    advice.subsample = { ...sub, code: sampleCode };
    const fit = planFit(plan, result.rows, options.env);
    advice.fit = {
      ...fit,
      usecolsCode: fit.usecols
        ? generateCode(result, plan, { path: options.path, usecols: fit.usecols.keep }, fit.usecols.bytes)
        : null,
      chunksCode:
        fit.chunks && result.format !== 'parquet'
          ? generateCode(result, plan, { path: options.path, chunksize: fit.chunks.chunksize }, fit.chunks.chunkBytes)
          : null,
    };
  }
  return advice;
}

function indexNote(result: FootprintResult): string | null {
  const ii = result.implicitIndex;
  if (!ii) return null;
  const named = result.columns.length;
  const fields = named + ii.levels;
  const what = ii.kind === 'Index' ? 'an Index' : `a MultiIndex of ${ii.levels} levels`;
  return [
    `The header names ${named} columns but the rows hold ${fields} fields: pandas makes the first ${ii.levels === 1 ? 'field' : `${ii.levels} fields`} ${what} (${groupDigits(ii.bytes)} bytes of the ${groupDigits(result.totalBytes)}).`,
    `index_col=False reads the first ${named} fields as the named columns and drops the last ${ii.levels} (pandas warns of the data loss): ${groupDigits(ii.indexColFalseBytes)} bytes in all.`,
    `header=None, skiprows=1 keeps every field as an ordinary column (0..${fields - 1}): ${groupDigits(ii.allColumnsBytes)} bytes in all.`,
  ].join(' ');
}

function sparseCode(plan: DowncastPlan): string | null {
  if (plan.sparse.length === 0) return null;
  const saved = plan.sparse.reduce((s, c) => s + c.bytesBefore - c.bytes, 0);
  const entries = plan.sparse.map((c) => `    ${pyStr(c.name)}: pd.SparseDtype(${pyStr(c.dtype)}, ${c.fill}),`);
  return [
    `# mostly zeros: sparse storage saves ${groupDigits(saved)} bytes more (only the non-zero values and their int32 positions are stored)`,
    `df = df.astype({\n${entries.join('\n')}\n})`,
  ].join('\n');
}

/** Each column with its plan's suggestion, as the dataset panel and `headroom footprint --json` show them. */
export function columnsWithSuggestions(result: FootprintResult, advice: Advice) {
  return result.columns.map((c, i) => {
    const s = advice.plan.columns[i].suggestion;
    return {
      name: c.name,
      dtype: c.dtype,
      bytes: c.bytes,
      nulls: c.nulls,
      distinct: c.distinct,
      highCardinality: c.highCardinality,
      min: c.min,
      max: c.max,
      suggestion: s ? { dtype: s.dtype, bytes: s.bytes, reason: s.reason } : null,
    };
  });
}

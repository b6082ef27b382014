/**
 * Names one read call in a way that survives edits elsewhere in its file, so a data file the user
 * picked for it stays attached: the path expression as written (spaces collapsed) and which of the
 * reads with that same expression it is.
 */
import type { ReadCall } from './types';

const expressionOf = (text: string, call: ReadCall): string => {
  const span = call.pathSpan ?? call.argsSpan;
  return text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
};

export function callSiteKey(text: string, reads: readonly ReadCall[], call: ReadCall): string {
  const expression = expressionOf(text, call);
  const occurrence = reads
    .filter((r) => r.span.start < call.span.start)
    .filter((r) => expressionOf(text, r) === expression).length;
  return `${call.fn}(${expression})#${occurrence}`;
}

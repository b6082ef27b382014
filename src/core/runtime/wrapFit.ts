/**
 * The edit behind "Run memory-aware with Headroom": the statement that runs a parallel call (the
 * search's `.fit(...)`, or the cross_validate / joblib.Parallel call itself) goes inside
 * `with hr.parallel():`, and `import headroom_runtime as hr` is added after the module's imports.
 * Text-based on the call's span from the hints analysis; returns null where a `with` cannot wrap the
 * statement alone (it opens a block, or is already inside `with ….parallel():`).
 */
import type { ParallelCall } from '../hints/types';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Kinds whose work joblib runs in processes; forests and neighbors use threads, which stay as they are. */
export const WRAPPABLE_KINDS: ReadonlySet<ParallelCall['kind']> = new Set(['search', 'cross-validation', 'joblib']);

const IMPORT_LINE = /^(?:import\s+headroom_runtime\s+as\s+([A-Za-z_]\w*)|import\s+headroom_runtime)\s*(?:#.*)?$/m;

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** End of the logical line starting at `start` (brackets, strings and backslashes followed), before its newline. */
function statementEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return text.length;
      i = nl - 1;
      continue;
    }
    if (c === '"' || c === "'") quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    else if (c === '\\' && text[i + 1] === '\n') i++;
    else if (c === '\n' && depth === 0) return i;
  }
  return text.length;
}

/** The offset of the call that runs the work: `<name>.fit(` after `name = Search(...)`, or the call itself. */
function targetOffset(text: string, call: ParallelCall): number | null {
  if (call.kind !== 'search') return call.span.start;
  if (/^\s*\.\s*fit\s*\(/.test(text.slice(call.span.end))) return call.span.start;
  const before = text.slice(lineStart(text, call.span.start), call.span.start);
  const assigned = /^\s*([A-Za-z_][\w.]*)\s*=\s*$/.exec(before);
  if (!assigned) return null;
  const name = assigned[1].replace(/\./g, '\\.');
  const fit = new RegExp(`(?<![\\w.])${name}\\s*\\.\\s*fit\\s*\\(`, 'g');
  fit.lastIndex = call.span.end;
  const match = fit.exec(text);
  return match ? match.index : null;
}

/** Where `import headroom_runtime as hr` goes: after the last top-level import before `limit`, else after a module docstring. */
function importOffset(text: string, limit: number): number {
  let offset = 0;
  const docstring = /^(?:#.*\n)*\s*("""|''')[\s\S]*?\1[^\n]*\n/.exec(text);
  if (docstring) offset = docstring[0].length;
  const re = /^(?:import\s|from\s+\S+\s+import\s)/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m.index < limit) {
    const end = statementEnd(text, m.index);
    offset = end < text.length ? end + 1 : end;
    re.lastIndex = Math.max(re.lastIndex, end);
  }
  return offset;
}

export function wrapInHeadroomParallel(text: string, call: ParallelCall): TextEdit[] | null {
  if (!WRAPPABLE_KINDS.has(call.kind)) return null;
  const target = targetOffset(text, call);
  if (target === null) return null;
  // The statement holding the target, from its first line (a call continued from an earlier line is found
  // by walking back to a line whose logical statement covers the target).
  let start = lineStart(text, target);
  while (start > 0) {
    const previous = lineStart(text, start - 1);
    if (statementEnd(text, previous) < target) break;
    start = previous;
  }
  const end = statementEnd(text, start);
  const statement = text.slice(start, end);
  const indent = /^[ \t]*/.exec(statement)![0];
  if (
    /:\s*(#.*)?$/.test(statement.trimEnd()) &&
    /^\s*(if|for|while|with|def|class|elif|else|try|except|async)\b/.test(statement)
  )
    return null;
  const existing = IMPORT_LINE.exec(text);
  const alias = existing ? (existing[1] ?? 'headroom_runtime') : 'hr';
  const enclosing = text.slice(0, start).split('\n').reverse();
  for (const line of enclosing) {
    const lineIndent = /^[ \t]*/.exec(line)![0];
    if (!line.trim() || lineIndent.length >= indent.length) continue;
    if (new RegExp(`^\\s*with\\s+${alias.replace(/\./g, '\\.')}\\.parallel\\(`).test(line)) return null;
    break;
  }
  const unit = indent.includes('\t') ? '\t' : '    ';
  const body = statement
    .split('\n')
    .map((line) => (line.trim() ? unit + line : line))
    .join('\n');
  const wrapped = `${indent}with ${alias}.parallel():\n${body}`;
  if (existing) return [{ start, end, newText: wrapped }];
  const at = importOffset(text, start);
  const line = `${at > 0 && text[at - 1] !== '\n' ? '\n' : ''}import headroom_runtime as hr\n`;
  // One edit where the import lands right before the statement: editors reject touching edits in some orders.
  if (at === start) return [{ start, end, newText: line + wrapped }];
  return [
    { start: at, end: at, newText: line },
    { start, end, newText: wrapped },
  ];
}

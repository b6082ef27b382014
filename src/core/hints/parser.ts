/**
 * The Python parser: tree-sitter-python through web-tree-sitter's WASM build, loaded once per process
 * on first use. The packaged extension loads both .wasm files from dist/wasm/ (scripts/build.mjs copies
 * them there); tests running from sources before a build load them from node_modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { distCandidates } from '../distDir';
import type { Parser, Tree } from 'web-tree-sitter';

let treeSitterModule: typeof TreeSitter | undefined;
/**
 * web-tree-sitter, required on first parse (the extension ships it as a bundle of its own, so it is
 * not compiled at activation). The CommonJS build: the ESM one needs import.meta.url, which the
 * extension's CJS bundle does not have.
 */
function treeSitter(): typeof TreeSitter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  treeSitterModule ??= require('web-tree-sitter') as typeof TreeSitter;
  return treeSitterModule;
}

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

/**
 * Where the two .wasm files may be, most specific first: dist/wasm/ (scripts/build.mjs copies them
 * there; ../distDir.ts says where dist/ is), else the npm packages (running from sources before a build).
 */
function wasmCandidates(): { runtime: string; python: string }[] {
  const found = distCandidates().map((dist) => ({
    runtime: join(dist, 'wasm', RUNTIME_WASM),
    python: join(dist, 'wasm', PYTHON_WASM),
  }));
  try {
    found.push({
      runtime: require.resolve(`web-tree-sitter/${RUNTIME_WASM}`),
      python: require.resolve(`tree-sitter-python/${PYTHON_WASM}`),
    });
  } catch {
    // Packaged: no node_modules.
  }
  return found;
}

export function locateWasm(): { runtime: string; python: string } {
  const candidates = wasmCandidates();
  const hit = candidates.find((c) => existsSync(c.runtime) && existsSync(c.python));
  if (!hit) {
    throw new Error(
      `The Python parser's WebAssembly files (${RUNTIME_WASM}, ${PYTHON_WASM}) were not found; looked in ` +
        candidates.map((c) => dirname(c.runtime)).join(', '),
    );
  }
  return hit;
}

/** The shared parser, created on first call. */
export function getPythonParser(): Promise<Parser> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const files = locateWasm();
    const { Language, Parser: ParserClass } = treeSitter();
    await ParserClass.init({ locateFile: () => files.runtime });
    const language = await Language.load(files.python);
    const parser = new ParserClass();
    parser.setLanguage(language);
    loaded = parser;
    return parser;
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The parser when it has finished loading, for synchronous callers that must not wait. */
export function loadedPythonParser(): Parser | undefined {
  return loaded;
}

/** A change to a document, as VS Code reports it (zero-based line/character, UTF-16 offsets). */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** Applies a change to an old tree so the next parse can reuse what did not change. */
export function editTree(tree: Tree, change: TextChange): void {
  const lines = change.text.split('\n');
  const startPosition = { row: change.range.start.line, column: change.range.start.character };
  const newEndPosition =
    lines.length === 1
      ? { row: startPosition.row, column: startPosition.column + change.text.length }
      : { row: startPosition.row + lines.length - 1, column: lines[lines.length - 1].length };
  tree.edit(
    new (treeSitter().Edit)({
      startIndex: change.rangeOffset,
      oldEndIndex: change.rangeOffset + change.rangeLength,
      newEndIndex: change.rangeOffset + change.text.length,
      startPosition,
      oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
      newEndPosition,
    }),
  );
}

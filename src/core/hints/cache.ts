/**
 * Parses per document version, reusing the previous tree (tree-sitter's incremental parse) when the
 * editor reports the changes, so a keystroke in a 2,000-line file re-parses only what changed.
 */
import type { Parser, Tree } from 'web-tree-sitter';
import { analyzeTree, type AnalyzeOptions } from './detect';
import { editTree, type TextChange } from './parser';
import type { SourceAnalysis } from './types';

interface Entry {
  version: number;
  tree: Tree;
  analysis: SourceAnalysis;
  importsKey: string;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  private pendingChanges = new Map<string, { fromVersion: number; changes: TextChange[] }>();

  constructor(private readonly parser: Parser) {}

  /** Record edits as they happen (onDidChangeTextDocument), so the next analyze can parse incrementally. */
  noteChanges(key: string, fromVersion: number, changes: readonly TextChange[]): void {
    const pending = this.pendingChanges.get(key);
    if (pending) pending.changes.push(...changes);
    else this.pendingChanges.set(key, { fromVersion, changes: [...changes] });
  }

  /** The analysis of `text` at `version`; parses only when the version (or the outside imports) changed. */
  analyze(key: string, version: number, text: string, options: AnalyzeOptions = {}): SourceAnalysis {
    const importsKey =
      options.imports || options.constants || options.exportConstants
        ? JSON.stringify([options.imports, options.constants, options.exportConstants])
        : '';
    const entry = this.entries.get(key);
    if (entry && entry.version === version) {
      if (entry.importsKey === importsKey) return entry.analysis;
      entry.analysis = analyzeTree(entry.tree, options);
      entry.importsKey = importsKey;
      return entry.analysis;
    }
    let oldTree: Tree | null = null;
    const pending = this.pendingChanges.get(key);
    this.pendingChanges.delete(key);
    if (entry && pending && pending.fromVersion === entry.version) {
      // Changes arrive in order, each relative to the text after the previous one.
      for (const change of pending.changes) editTree(entry.tree, change);
      oldTree = entry.tree;
    }
    const tree = this.parser.parse(text, oldTree);
    if (!tree) throw new Error('The Python parser returned no tree');
    entry?.tree.delete();
    const analysis = analyzeTree(tree, options);
    this.entries.set(key, { version, tree, analysis, importsKey });
    return analysis;
  }

  forget(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
    this.pendingChanges.delete(key);
  }

  dispose(): void {
    for (const key of [...this.entries.keys()]) this.forget(key);
  }
}

/**
 * Generated loading code starts with its imports (`import pandas as pd`, `import numpy as np`).
 * Inserted into a file that already has them, they would be duplicates: this drops the import lines
 * the file already holds (same statement, any indentation, a trailing comment allowed).
 */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function dropExistingImports(snippet: string, documentText: string): string {
  const out: string[] = [];
  let dropped = false;
  for (const line of snippet.split('\n')) {
    const statement = line.trim();
    const isImport = /^(import [\w.]+( as \w+)?|from [\w.]+ import [\w, ]+)$/.test(statement);
    if (isImport && new RegExp(`^[ \\t]*${escape(statement)}[ \\t]*(#.*)?$`, 'm').test(documentText)) {
      dropped = true;
      continue;
    }
    out.push(line);
  }
  // The blank line that separated the imports from the code is not needed once they are gone.
  if (dropped) while (out.length > 0 && out[0].trim() === '') out.shift();
  return out.join('\n');
}

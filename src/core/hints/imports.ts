/**
 * Which local names refer to pandas, its read functions, joblib, pathlib and os.path, collected from
 * every import in the source (function-level imports included: hints are a static approximation).
 */
import type { Node } from 'web-tree-sitter';
import type { ImportTable, ReadFunction } from './types';

export const READ_FUNCTIONS: readonly ReadFunction[] = ['read_csv', 'read_table', 'read_parquet'];

export function emptyImports(): ImportTable {
  return {
    pandasModules: [],
    readFunctions: {},
    joblibModules: [],
    joblibParallel: [],
    joblibBackends: [],
    headroomModules: [],
    headroomParallel: [],
    pathClasses: [],
    pathlibModules: [],
    osModules: [],
    osPathModules: [],
    numpyModules: [],
  };
}

/** Unions import tables, e.g. the cells of a notebook before the one being analyzed. */
export function mergeImports(into: ImportTable, from: ImportTable): ImportTable {
  const merged = emptyImports();
  for (const key of Object.keys(merged) as (keyof ImportTable)[]) {
    if (key === 'readFunctions') merged.readFunctions = { ...into.readFunctions, ...from.readFunctions };
    else merged[key] = [...new Set([...into[key], ...from[key]])];
  }
  return merged;
}

function bind(table: ImportTable, module: string, imported: string | undefined, local: string): void {
  const add = (list: string[]) => {
    if (!list.includes(local)) list.push(local);
  };
  if (imported === undefined) {
    // `import module [as local]`
    if (module === 'pandas') add(table.pandasModules);
    else if (module === 'joblib' || module === 'sklearn.utils.parallel') add(table.joblibModules);
    else if (module === 'pathlib') add(table.pathlibModules);
    else if (module === 'os') add(table.osModules);
    else if (module === 'os.path' || module === 'posixpath') add(table.osPathModules);
    else if (module === 'numpy') add(table.numpyModules);
    else if (module === 'headroom_runtime') add(table.headroomModules);
    return;
  }
  if (module === 'pandas' && (READ_FUNCTIONS as readonly string[]).includes(imported)) {
    table.readFunctions[local] = imported as ReadFunction;
  } else if ((module === 'joblib' || module === 'sklearn.utils.parallel') && imported === 'Parallel') {
    add(table.joblibParallel);
  } else if (module === 'joblib' && (imported === 'parallel_backend' || imported === 'parallel_config')) {
    add(table.joblibBackends);
  } else if (module === 'headroom_runtime' && imported === 'parallel') {
    add(table.headroomParallel);
  } else if (module === 'pathlib' && /^(Pure)?(Posix|Windows)?Path$/.test(imported)) add(table.pathClasses);
  else if (module === 'os' && imported === 'path') add(table.osPathModules);
}

/** The import table of `statements`, or of every import under a node (a whole cell, in tests). */
export function collectImports(statements: Node | Node[], table: ImportTable = emptyImports()): ImportTable {
  const nodes = Array.isArray(statements)
    ? statements
    : statements.descendantsOfType(['import_statement', 'import_from_statement']);
  for (const node of nodes) {
    if (!node) continue;
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') {
          const dotted = name.childForFieldName('name')?.text ?? '';
          const alias = name.childForFieldName('alias')?.text;
          if (alias) bind(table, dotted, undefined, alias);
        } else {
          // `import os.path` binds `os`; `import pandas` binds `pandas`.
          const dotted = name.text;
          bind(table, dotted, undefined, dotted);
          if (dotted === 'os.path') bind(table, 'os', undefined, 'os');
        }
      }
    } else {
      const module = node.childForFieldName('module_name')?.text ?? '';
      for (const name of node.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') {
          const imported = name.childForFieldName('name')?.text ?? '';
          const alias = name.childForFieldName('alias')?.text;
          if (alias) bind(table, module, imported, alias);
        } else bind(table, module, name.text, name.text);
      }
    }
  }
  return table;
}

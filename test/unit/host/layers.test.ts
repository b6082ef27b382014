/**
 * The layer rules of eslint.config.mjs catch what they are there for: each case is linted as if it
 * were a file at that path (the repository's own config; type-aware rules off, they need a program).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');
let eslint: ESLint;

before(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
});

/** The layer rules broken by `code` at `path`, as 'rule: message'. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = [${usedNames(code)}];\n`, {
    filePath: join(root, path),
  });
  return result.messages
    .filter((m) => m.ruleId?.startsWith('no-restricted-') || m.fatal)
    .map((m) => `${m.ruleId}: ${m.message}`);
}

function usedNames(code: string): string {
  return [...code.matchAll(/import (?:type )?(?:\* as )?\{?\s*(\w+)/g)].map((m) => m[1]).join(', ');
}

const cases: { path: string; code: string; broken: RegExp | null }[] = [
  // Core imports only core: shipped data outside it too (the spec schema lived in schemas/).
  {
    path: 'src/core/tuning/x.ts',
    code: "import schema from '../../../schemas/tune.schema.json';",
    broken: /src\/core imports only core/,
  },
  { path: 'src/core/runView/x.ts', code: "import { tuningEngine } from '../../lazyEngines';", broken: /only core/ },
  { path: 'src/core/x.ts', code: "import { config } from '../config';", broken: /only core/ },
  { path: 'src/core/x.ts', code: "import * as vscode from 'vscode';", broken: /VS Code-free/ },
  { path: 'src/core/tuning/x.ts', code: "import { TUNE_SCHEMA } from './specSchema';", broken: null },
  { path: 'src/core/runView/x.ts', code: "import { formatBytes } from '../format';", broken: null },
  // Glue reaches engine code through src/lazyEngines.ts; types are free.
  {
    path: 'src/datasets/x.ts',
    code: "import { analyzeFile } from '../core/footprint';",
    broken: /through src\/lazyEngines\.ts/,
  },
  { path: 'src/datasets/x.ts', code: "import type { FootprintResult } from '../core/footprint/types';", broken: null },
  // The hints engine, the owners crawler and the spec from a search load on first use, not at activation.
  {
    path: 'src/hints/x.ts',
    code: "import { analyzeTree } from '../core/hints';",
    broken: /through src\/lazyEngines\.ts/,
  },
  { path: 'src/hints/x.ts', code: "import type { ReadCall } from '../core/hints';", broken: null },
  {
    path: 'src/monitor/x.ts',
    code: "import { OwnersMonitor } from '../core/monitor/ownersMonitor';",
    broken: /through src\/lazyEngines\.ts/,
  },
  { path: 'src/monitor/x.ts', code: "import type { OwnersSnapshot } from '../core/monitor/ownerTypes';", broken: null },
  {
    path: 'src/tuning/x.ts',
    code: "import { specFromSearch } from '../core/specEditing/specFromSearch';",
    broken: /through src\/lazyEngines\.ts/,
  },
  // dist/ is passed in, never guessed from a file's folder.
  { path: 'src/hints/x.ts', code: "const wasm = require('node:path').join(__dirname, 'wasm');", broken: /__dirname/ },
  // Settings are read through their getter in src/config.ts.
  {
    path: 'src/monitor/x.ts',
    code: "import * as vscode from 'vscode';\nconst on = vscode.workspace.getConfiguration('headroom.monitor').get('lowMemoryWarning');",
    broken: /src\/config\.ts/,
  },
  {
    path: 'src/config.ts',
    code: "import * as vscode from 'vscode';\nvscode.workspace.getConfiguration('headroom');",
    broken: null,
  },
  // Webviews share only what is meant for them.
  {
    path: 'webview/run/x.ts',
    code: "import { RunPanels } from '../../src/tuning/runPanel';",
    broken: /Webviews import/,
  },
  { path: 'webview/run/x.ts', code: "import { formatBytes } from '../../src/core/format';", broken: null },
];

for (const { path, code, broken } of cases) {
  test(`${path}: ${code} ${broken ? 'is refused' : 'is allowed'}`, async () => {
    const errors = await layerErrors(path, code);
    if (broken === null) assert.deepEqual(errors, []);
    else
      assert.ok(
        errors.some((e) => broken.test(e)),
        `expected ${broken}, got ${JSON.stringify(errors)}`,
      );
  });
}

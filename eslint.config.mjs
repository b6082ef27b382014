import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.venv/**',
      '.venv-*/**',
      '.e2e/**',
      'test/e2e/artifacts/**',
      'bench/results/**',
      'bench/.data/**',
      '*.vsix',
      '.headroom/**',
      'demo/**',
      // AssemblyScript (its own compiler checks it); the generated kernel binary
      'wasm/**',
      'src/core/footprint/scanKernelBinary.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Where dist/ is has one definition (src/core/distDir.ts: passed in by activate(), else next to
    // the bundle); nothing else guesses it from its own file's folder.
    files: ['src/**/*.ts'],
    ignores: ['src/core/distDir.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: '__dirname', message: 'Use src/core/distDir.ts (findInDist, distCandidates): dist/ is passed in.' },
        { name: '__filename', message: 'Use src/core/distDir.ts (findInDist, distCandidates): dist/ is passed in.' },
      ],
    },
  },
  {
    // One typed getter per setting, in src/config.ts: a default or a range written once.
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='getConfiguration']",
          message: 'Read settings through their getter in src/config.ts.',
        },
      ],
    },
  },
  // Layer direction (CONTRIBUTING.md): core <- messages <- glue <- extension.ts; webviews share only
  // pure modules (types, formatting, the run view model) and their messages.
  ...[
    ['src/core/*.ts', '\\.\\./'],
    ['src/core/*/*.ts', '\\.\\./\\.\\./'],
    ['src/core/*/*/*.ts', '\\.\\./\\.\\./\\.\\./'],
  ].map(([files, up]) => ({
    // The engine runs in the CLI, workers and tests: no VS Code API, nothing from outside src/core
    // (data it reads, like the spec's JSON Schema, lives in core too).
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must stay VS Code-free.' }],
          patterns: [
            {
              regex: `^${up}`,
              message: 'src/core imports only core (and Node, npm packages).',
            },
          ],
        },
      ],
    },
  })),
  {
    // Host <-> webview contracts: pure, compiled into both; they use core's types only.
    files: ['src/messages/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Message contracts are shared with the webviews.' }],
          patterns: [
            { regex: '^\\.\\./(?!core/)', message: 'src/messages imports only core types.' },
            { regex: '^\\.\\./core/', allowTypeImports: true, message: 'src/messages imports only core types.' },
            { regex: '^node:', message: 'Message contracts are shared with the webviews: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/workers/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Workers and the CLI must stay VS Code-free.' }] },
      ],
    },
  },
  {
    // Host glue reaches engine code (core/footprint, tuning, python, hints, the owners crawler, the spec
    // checks, new specs, the runtime installer) only through src/lazyEngines.ts, so each engine module
    // exists once in the extension host and activation does not load it; types are free.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**', 'src/cli/**', 'src/workers/**', 'src/messages/**', 'src/lazyEngines.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '/core/(footprint|tuning|python|shared|hints|runtime/(install|wrapFit)|specEditing/(specChecks|specFromSearch|specTemplate|newSpec)|monitor/(owners|ownersMonitor|procTable))(/|$)',
              allowTypeImports: true,
              message: 'Engine code: import its types here, reach it through src/lazyEngines.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Webviews run in a browser sandbox: they share only pure modules meant for them.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'A webview talks to the host by messages only.' }],
          patterns: [
            {
              regex: '^\\.\\./\\.\\./src/(?!core/|messages/)',
              message: 'Webviews import only src/messages and pure modules of src/core.',
            },
            {
              regex:
                '^\\.\\./\\.\\./src/(core|messages)/(?!format$|runView/(runModel|usage|reasons|trialTable|virtualWindow|chartSeries|runActions)$)',
              allowTypeImports: true,
              message: 'Only types from here: code shared with webviews is core/format and the run view model.',
            },
            { regex: '^node:', message: 'No Node APIs in a webview.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
);

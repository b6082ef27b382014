import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.venv/**',
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
  // Layer direction (CONTRIBUTING.md): core <- glue <- extension.ts; webviews share only pure modules.
  ...[
    ['src/core/*.ts', '\\.\\./'],
    ['src/core/*/*.ts', '\\.\\./\\.\\./'],
  ].map(([files, up]) => ({
    // The engine runs in the CLI, workers and tests: no VS Code API, nothing from the layers above it
    // (the message types it produces are free until they move into core; schemas/ is shipped data).
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must stay VS Code-free.' }],
          patterns: [
            {
              regex: `^${up}(?!protocol$|(\\.\\./)?schemas/)`,
              message: 'src/core imports only core (and Node, npm packages).',
            },
            { regex: `^${up}protocol$`, allowTypeImports: true, message: 'Only types from src/protocol.ts.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/protocol.ts', 'src/workers/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'protocol, workers and CLI must stay VS Code-free.' }] },
      ],
    },
  },
  {
    // Host glue reaches engine code (core/footprint, tuning, python, the spec checks) only through
    // src/lazyEngines.ts, so each engine module exists once in the extension host; types are free.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**', 'src/cli/**', 'src/workers/**', 'src/lazyEngines.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/core/(footprint|tuning|python|shared|runView/specChecks)(/|$)',
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
              regex:
                '^\\.\\./\\.\\./src/(?!protocol$|core/format$|core/runView/(runModel|usage|reasons|trialTable|virtualWindow)$)',
              message: 'Webviews import only src/protocol.ts (types), core/format and the run view model.',
            },
            {
              regex: '^\\.\\./\\.\\./src/protocol$',
              allowTypeImports: true,
              message: 'Only types from src/protocol.ts.',
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

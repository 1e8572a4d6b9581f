// @ts-check
// ESLint: typescript-eslint's type-checked rules on src/, test/ and bench/ (TypeScript), plain JS rules on the .mjs
// tools, and the import boundaries between the layers of src/ (tools/eslint/importBoundaries.mjs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import drydock from './tools/eslint/importBoundaries.mjs';

/** @typedef {import('./tools/eslint/importBoundaries.mjs').Boundary} Boundary */

/**
 * The layers of src/ and what each may import. Type-only imports are erased by the compiler, so they are allowed
 * where only runtime code matters (protocol → core types).
 * @type {Boundary[]}
 */
export const boundaries = [
  {
    files: 'src/core',
    denyPackages: ['vscode'],
    deny: ['src/vscode', 'src/webview', 'src/cli'],
    why: 'the engine runs in the CLI too; it never depends on VS Code, the webviews or the CLI',
  },
  {
    files: 'src/cli',
    denyPackages: ['vscode'],
    deny: ['src/vscode', 'src/webview'],
    why: 'the CLI runs without VS Code',
  },
  {
    files: 'src/webview',
    denyPackages: true,
    allow: ['src/webview', 'src/protocol'],
    why: 'webview code runs in the browser sandbox and knows the host only through src/protocol',
  },
  {
    files: 'src/protocol',
    denyPackages: true,
    allow: ['src/protocol'],
    allowTypesFrom: ['src/core'],
    why: 'src/protocol holds the messages shared by host and webview: types (and their validators), no runtime code from elsewhere',
  },
  {
    files: 'src',
    except: ['src/core/aws'],
    denyPackages: ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sqs', '@aws-sdk/util-dynamodb'],
    why: 'src/core/aws is the one AWS layer (SDK v3 with paginators, bounded calls, typed error guards): everything else calls it',
  },
  {
    files: 'src/core/drill',
    onlyThrough: {
      folder: 'src/core/snapshot',
      // The snapshot engine's public entry (index.ts) and its other top-level modules (shared types and helpers: kubeObject,
      // progress, manifest, restorePlan, …), plus the per-kind action registry a drill asks for readiness and stand-ins.
      // The folders archive/, aws/, kube/, sanitize/ and the per-kind modules of actions/ are internals: what a drill
      // needs from them is exported by src/core/snapshot/index.ts.
      entries: [
        'src/core/snapshot/index.ts',
        'src/core/snapshot/*',
        'src/core/snapshot/actions/registry.ts',
        'src/core/snapshot/actions/kindAction.ts',
      ],
    },
    why: 'a drill uses the snapshot engine through its public modules, not its internals',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'artifacts/**',
      '.cache/**',
      '.localenv/**',
      '.drydock/**',
      '.vscode-test/**',
      'docs/**',
      'media/**',
      'env/**',
      'test/fixtures/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node }, sourceType: 'module', ecmaVersion: 2024 },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits: not floating.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests and benches read JSON from CLIs, files and servers and assert on it field by field: a wrong shape fails
      // the assertion, which is what these rules would check. src/ keeps them (no `any` leaks from the engine).
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // …and reach into raw Kubernetes JSON (`spec.template.spec.containers[0]`), which the engine keeps untyped on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // Test doubles implement Promise-returning interfaces (UI prompts, async generators standing in for streams)
      // without awaiting anything; src/ keeps the rule.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The extension-host entry registers the suites with require() after mocha's globals exist; imports would be
    // hoisted above that.
    files: ['test/exthost/index.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { drydock },
    rules: { 'drydock/import-boundaries': ['error', { root: import.meta.dirname, boundaries }] },
  },
);

// @ts-check
// Bundles the extension host code, the CLI, the webviews and the extension-host tests.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { buildVendorBundles, lazyVendorPlugin, sharedExternalsPlugin } from './tools/build/lazyVendor.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
  // @kubernetes/client-node is ESM-only and uses import.meta.url in a few places.
  define: { 'import.meta.url': '__drydockImportMetaUrl' },
  banner: { js: "const __drydockImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const webviewDir = 'src/webview';
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(`${webviewDir}/${d.name}/main.ts`))
      .map((d) => ({ in: `${webviewDir}/${d.name}/main.ts`, out: d.name }))
  : [];

// client-node, the AWS SDK clients, tar, yaml, … in dist/vendor/, required on first use (tools/build/lazyVendor.mjs).
const lazyVendor = lazyVendorPlugin(await buildVendorBundles(node, 'dist'));
const sharedExternals = sharedExternalsPlugin();

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...node,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [lazyVendor, sharedExternals],
  },
  {
    ...node,
    plugins: [lazyVendor],
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    target: 'node22',
    banner: { js: `#!/usr/bin/env node\n${node.banner?.js ?? ''}` },
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
  },
  {
    ...node,
    entryPoints: ['test/exthost/index.ts'],
    outfile: 'out/test/exthost/index.js',
    external: ['vscode', 'mocha'],
  },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

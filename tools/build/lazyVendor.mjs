// @ts-check
// Heavy libraries in bundles of their own (dist/vendor/<name>.js), loaded on first use.
//
// Requiring one bundle that holds @kubernetes/client-node and three AWS SDK clients cost the extension host
// 340–450 ms and ~60 MB before activate() ran. Here each such library is built once into dist/vendor/, and the
// extension and CLI bundles get, in its place, a small module whose exports are getters: the first read of any
// export require()s the vendor bundle. `import { S3Client } from '@aws-sdk/client-s3'` is compiled by esbuild
// into a property read at the point of use, so nothing loads until a view or command uses it.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const requireHere = createRequire(import.meta.url);

/** Packages loaded lazily, and the file each is built into (under <outdir>/vendor/). */
export const LAZY_PACKAGES = {
  '@kubernetes/client-node': 'client-node.js',
  '@aws-sdk/client-sqs': 'client-sqs.js',
  '@aws-sdk/client-dynamodb': 'client-dynamodb.js',
  '@aws-sdk/client-s3': 'client-s3.js',
  '@smithy/node-http-handler': 'node-http-handler.js',
  tar: 'tar.js',
  yaml: 'yaml.js',
  'age-encryption': 'age-encryption.js',
  'jsonpath-plus': 'jsonpath-plus.js',
};

/** Loaded lazily from inside a vendor bundle (a sibling file in <outdir>/vendor/): undici, from client-node's. */
export const NESTED_LAZY_PACKAGES = { undici: 'undici.js' };

/**
 * What the sources use of each lazy package: the names of `import { a, b } from 'pkg'` (type-only ones left
 * out), or '*' where a namespace import or require() takes all of it. Only those are bundled, so a vendor
 * bundle is as small as the tree-shaken library was inside the old single bundle.
 * @param {string} srcDir
 * @returns {Record<string, Set<string> | '*'>}
 */
export function usedExports(srcDir) {
  /** @type {Record<string, Set<string> | '*'>} */
  const used = {};
  const files = /** @type {string[]} */ (readdirSync(srcDir, { recursive: true, encoding: 'utf8' })).filter((f) =>
    /\.tsx?$/.test(f),
  );
  for (const file of files) {
    const text = readFileSync(path.join(srcDir, file), 'utf8');
    for (const pkg of Object.keys(LAZY_PACKAGES)) {
      const q = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const named = [...text.matchAll(new RegExp(`import\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*['"]${q}['"]`, 'g'))];
      // Type-only forms (`import type * as`, `export type { … } from`) are erased: they take nothing at run time.
      const typeOnly =
        text.match(new RegExp(`import\\s+type\\s+\\*\\s+as\\s+\\w+\\s+from\\s*['"]${q}['"]`, 'g'))?.length ?? 0;
      const typeExports =
        text.match(new RegExp(`export\\s+type\\s+(\\*|\\{[^}]*\\})\\s*from\\s*['"]${q}['"]`, 'g'))?.length ?? 0;
      const all = text.match(new RegExp(`from\\s*['"]${q}['"]`, 'g'))?.length ?? 0;
      // A namespace or default import, a require(), or any form not recognised here: the whole package.
      if (all > named.length + typeOnly + typeExports || new RegExp(`require\\(['"]${q}['"]\\)`).test(text))
        used[pkg] = '*';
      for (const m of named) {
        if (m[1] || used[pkg] === '*') continue;
        const set = /** @type {Set<string>} */ (used[pkg] ??= new Set());
        for (const spec of (m[2] ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)) {
          if (!spec.startsWith('type ')) set.add(spec.split(/\s+as\s+/)[0] ?? spec);
        }
      }
    }
  }
  return used;
}

/**
 * Builds every vendor bundle and returns the names each exports (read from the built file, so the stand-in
 * modules offer exactly what the bundle has).
 * @param {esbuild.BuildOptions} node the shared Node build options (target, minify, define/banner for import.meta.url)
 * @param {string} outdir e.g. 'dist'
 * @returns {Promise<Record<string, string[]>>}
 */
export async function buildVendorBundles(node, outdir) {
  const entries = Object.entries(LAZY_PACKAGES);
  const used = usedExports('src');
  const vendorDir = path.join(outdir, 'vendor');
  const requireBuilt = createRequire(path.resolve(vendorDir, 'index.js'));
  /** @type {esbuild.BuildOptions} */
  const vendor = {
    ...node,
    sourcemap: false,
    // The ES module builds (AWS SDK: dist-es) tree-shake to what the sources use.
    mainFields: ['module', 'main'],
  };
  // Inside client-node's bundle, undici (its own copy, for fetch and proxy agents, ~535 KB) is a bundle of its own
  // too: KubeConfig only reaches it from methods Drydock does not call on the way to a tree's first rows.
  const clientNodeDir = path.dirname(requireHere.resolve('@kubernetes/client-node/package.json'));
  await esbuild.build({
    ...vendor,
    stdin: { contents: `export * from 'undici';`, resolveDir: clientNodeDir, loader: 'js' },
    outfile: path.join(vendorDir, NESTED_LAZY_PACKAGES.undici),
  });
  const nestedNames = {
    undici: Object.keys(requireBuilt(`./${NESTED_LAZY_PACKAGES.undici}`)).filter((k) => k !== '__esModule'),
  };
  await Promise.all(
    entries.map(([pkg, file]) => {
      const names = used[pkg] ?? new Set();
      const contents =
        names === '*'
          ? `export * from ${JSON.stringify(pkg)};`
          : `export { ${[...names].join(', ')} } from ${JSON.stringify(pkg)};`;
      return esbuild.build({
        ...vendor,
        ...(pkg === '@kubernetes/client-node'
          ? {
              plugins: [
                sideEffectFree(/[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/),
                lazyVendorPlugin(nestedNames, { packages: NESTED_LAZY_PACKAGES, dir: './' }),
              ],
            }
          : {}),
        stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
        outfile: path.join(vendorDir, file),
      });
    }),
  );
  /** @type {Record<string, string[]>} */
  const names = {};
  for (const [pkg, file] of entries)
    names[pkg] = Object.keys(requireBuilt(`./${file}`)).filter((k) => k !== '__esModule');
  return names;
}

/**
 * Marks the modules whose path matches as free of side effects (what `"sideEffects": false` in a package.json
 * says), so esbuild leaves out the ones nothing uses. @kubernetes/client-node's index re-exports every part of the
 * library (exec, attach, port-forward, watch, the generated API clients…): declared so, only what KubeConfig
 * needs stays in its bundle. Its modules' top-level statements only define classes and their static members.
 * @param {RegExp} filter absolute paths of the modules
 * @returns {esbuild.Plugin}
 */
function sideEffectFree(filter) {
  return {
    name: 'drydock-side-effect-free',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'drydock-side-effect-free' || args.namespace !== 'file') return undefined;
        const r = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          importer: args.importer,
          pluginData: 'drydock-side-effect-free',
        });
        return r.errors.length || r.external || !filter.test(r.path) ? undefined : { ...r, sideEffects: false };
      });
    },
  };
}

/**
 * An esbuild plugin for the extension and CLI bundles: each lazy package resolves to a stand-in whose exports
 * require() ./vendor/<file> on first read.
 * @param {Record<string, string[]>} exportNames from buildVendorBundles
 * @param {{ packages?: Record<string, string>, dir?: string }} [where] the packages and their files (default
 *   LAZY_PACKAGES), and the folder the stand-ins require them from, relative to the bundle (default './vendor/')
 * @returns {esbuild.Plugin}
 */
export function lazyVendorPlugin(exportNames, { packages: files = LAZY_PACKAGES, dir = './vendor/' } = {}) {
  const packages = Object.keys(files);
  const filter = new RegExp(`^(${packages.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'drydock-lazy-vendor',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'drydock-lazy-vendor' }));
      build.onResolve({ filter: /^\.\// }, (args) =>
        args.namespace === 'drydock-lazy-vendor' ? { path: args.path, external: true } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'drydock-lazy-vendor' }, (args) => {
        const file = /** @type {Record<string, string>} */ (files)[args.path];
        const names = exportNames[args.path] ?? [];
        return {
          loader: 'js',
          contents: [
            `let loaded;`,
            `const load = () => (loaded ??= require(${JSON.stringify(`${dir}${file}`)}));`,
            `for (const name of ${JSON.stringify(names)})`,
            `  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * One namespace object per external module (vscode, Node's built-ins) for the whole bundle. esbuild gives every
 * file that does `import * as vscode from 'vscode'` its own copy of the module's exports (__toESM: one getter per
 * export, per importing file): ~45 copies of the vscode API and ~100 of built-ins cost tens of ms at load. Here each
 * resolves to a small ES module `export * from '<module>'`, copied once and shared by every importer. A built-in's
 * exports are named (`export { a, b } from 'node:util'`): `export *` copies them with a property-descriptor read
 * each, and on Node 24 that materialises util's and net's lazy members (≈ 6 ms of loading other built-ins).
 * @returns {esbuild.Plugin}
 */
export function sharedExternalsPlugin() {
  return {
    name: 'drydock-shared-externals',
    setup(build) {
      build.onResolve({ filter: /^(vscode|node:.*)$/ }, (args) =>
        args.namespace === 'drydock-shared-external'
          ? { path: args.path, external: true }
          : { path: args.path, namespace: 'drydock-shared-external' },
      );
      build.onLoad({ filter: /.*/, namespace: 'drydock-shared-external' }, (args) => ({
        loader: 'js',
        contents: args.path.startsWith('node:')
          ? `export { ${builtinExportNames(args.path).join(', ')} } from ${JSON.stringify(args.path)};`
          : `export * from ${JSON.stringify(args.path)};`,
      }));
    },
  };
}

/**
 * The names a Node built-in exports (from the Node running the build), as identifiers an `export { … }` can name.
 * @param {string} id e.g. 'node:util'
 * @returns {string[]}
 */
export function builtinExportNames(id) {
  return Object.getOwnPropertyNames(requireHere(id)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
}

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/env';
import { ZipArchive } from '../../support/zipArchive';

// `npm run package` builds the VSIX users install: the bundles, media, README, CHANGELOG, LICENSE and the manifest —
// no sources, tests, benches, environment or tools — and everything the bundles load is inside it.
const MAX_VSIX_BYTES = 3 * 1024 * 1024;
/** Optional modules the bundled libraries try to load and do without (each require sits in a try/catch or a lazy getter). */
const OPTIONAL_REQUIRES = new Set([
  '@aws-sdk/signature-v4-crt', // the AWS SDK's SigV4a signers, only for multi-region access points
  '@aws-sdk/signature-v4a',
  'bufferutil', // ws: optional native speed-ups
  'utf-8-validate',
  'node:sqlite', // undici's SQLite cache store, built in from Node 22.5 and never used by Drydock
]);

test(
  'npm run package writes a VSIX with the bundles and media only, within its size bound',
  { timeout: 300_000 },
  () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      publisher: string;
    };
    const out = mkdtempSync(path.join(tmpdir(), 'drydock-vsix-'));
    try {
      const file = path.join(out, `${pkg.name}-${pkg.version}.vsix`);
      // The script's own command line, with the output moved out of the working tree (arguments go to `vsce package`).
      execFileSync('npm', ['run', '--silent', 'package', '--', '--out', file], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 280_000,
      });
      assert.ok(existsSync(file), `npm run package wrote ${file}`);
      const size = statSync(file).size;
      assert.ok(
        size < MAX_VSIX_BYTES,
        `the VSIX is ${(size / 1024 / 1024).toFixed(2)} MB (bound ${MAX_VSIX_BYTES / 1024 / 1024} MB)`,
      );

      const zip = new ZipArchive(file);
      const names = zip.names();
      const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));

      // What must be there.
      const webviews = readdirSync(path.join(repoRoot, 'src', 'webview'), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(path.join(repoRoot, 'src', 'webview', d.name, 'main.ts')))
        .map((d) => `dist/webview/${d.name}.js`);
      const mediaFiles = readdirSync(path.join(repoRoot, 'media'), { recursive: true, encoding: 'utf8' })
        .filter((f) => statSync(path.join(repoRoot, 'media', f)).isFile())
        .map((f) => `media/${f}`);
      for (const required of [
        'package.json',
        'readme.md',
        'changelog.md',
        'LICENSE.txt',
        'dist/extension.js',
        'dist/cli.js',
        ...webviews,
        ...mediaFiles,
      ]) {
        assert.ok(files.includes(required), `${required} is in the VSIX (it has: ${files.join(', ')})`);
      }
      assert.ok(names.includes('extension.vsixmanifest'), 'the VSIX has its manifest');

      // What must not be.
      const forbidden = files.filter(
        (f) =>
          /^(src|test|bench|env|tools|docs|out|node_modules|artifacts|\.cache|\.localenv|\.ci|\.vscode|\.drydock)\//.test(
            f,
          ) ||
          /\.(ts|map|vsix|mjs)$/.test(f) ||
          /^(tsconfig\.json|esbuild\.mjs|package-lock\.json|BENCHMARKS\.md|eslint\.config\.mjs|\.vscodeignore|\.gitignore)$/.test(
            f,
          ),
      );
      assert.deepEqual(forbidden, [], 'no sources, tests, benches, environment, tools or source maps in the VSIX');
      const allowedTop = /^(dist\/.+\.js|media\/.+|package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/;
      assert.deepEqual(
        files.filter((f) => !allowedTop.test(f)),
        [],
        'only dist bundles, media and the four documents',
      );

      // The manifest inside is the one users get: icon, categories, repository, licence.
      const manifest = JSON.parse(zip.read('extension/package.json').toString('utf8')) as Record<string, unknown>;
      assert.equal(manifest.name, pkg.name);
      assert.equal(manifest.version, pkg.version);
      assert.equal(manifest.license, 'MIT');
      assert.equal(manifest.main, './dist/extension.js');
      assert.ok(Array.isArray(manifest.categories) && manifest.categories.length > 0, 'categories');
      assert.match(JSON.stringify(manifest.repository), /https:\/\//, 'a repository URL');
      assert.equal(typeof manifest.icon, 'string');
      const icon = zip.read(`extension/${manifest.icon as string}`);
      assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG', 'the icon is a PNG');
      assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'the icon is 128×128');

      // Everything the bundles load is in the VSIX (packaged with --no-dependencies): relative requires resolve to
      // entries, bare ones are Node built-ins or `vscode`.
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'vscode']);
      for (const bundle of files.filter(
        (f) => f.startsWith('dist/') && f.endsWith('.js') && !f.startsWith('dist/webview/'),
      )) {
        const text = zip.read(`extension/${bundle}`).toString('utf8');
        for (const [, spec] of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
          if (!spec) continue;
          if (spec.startsWith('.')) {
            const target = path.posix.normalize(path.posix.join(path.posix.dirname(bundle), spec));
            assert.ok(
              files.includes(target) || files.includes(`${target}.js`),
              `${bundle} requires ${spec}: ${target} is in the VSIX`,
            );
          } else {
            const known = builtins.has(spec) || builtins.has(spec.split('/')[0] ?? spec) || OPTIONAL_REQUIRES.has(spec);
            assert.ok(
              known,
              `${bundle} requires "${spec}", which is neither bundled, built in nor a known optional module`,
            );
          }
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
);

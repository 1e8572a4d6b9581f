// @ts-check
// `npm test`: installs what is missing, builds, type-checks, brings the local environment up when it is not running,
// seeds it, runs every suite against it, and takes down what it started. Prints durations and peak memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { ensureAll, ensureNodeModules } from './install.mjs';
import { nestedEnv } from './nestedEnv.mjs';
import { awsEndpoint, cacheDir, paths, ports, root } from './config.mjs';
import { run, say } from './proc.mjs';
import { up, down } from './cli.mjs';

const suites = ['unit', 'integration', 'e2e', 'exthost'];

/** @param {string} dir */
function testFiles(dir) {
  const abs = path.join(root, 'test', dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test', dir, f))
    .sort();
}

/** Used memory of the whole machine (MemTotal − MemAvailable), in MiB. */
function usedMemoryMiB() {
  const info = fs.readFileSync('/proc/meminfo', 'utf8');
  const kb = (/** @type {string} */ key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return Math.round((kb('MemTotal') - kb('MemAvailable')) / 1024);
}

/** Runs a command, streaming its output; resolves to its exit code. @param {string[]} args @param {NodeJS.ProcessEnv} env */
function spawnAndWait(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Counts from a TAP report. @param {string} file */
function tapCounts(file) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const n = (/** @type {string} */ k) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { tests: n('tests'), pass: n('pass'), fail: n('fail'), skipped: n('skipped'), todo: n('todo') };
}

/** @param {string[]} requested */
export async function runTests(requested) {
  const wanted = requested.length ? requested : suites;
  for (const s of wanted)
    if (!suites.includes(s)) throw new Error(`unknown suite "${s}" (one of ${suites.join(', ')})`);
  const t0 = Date.now();
  const unitOnly = wanted.every((s) => s === 'unit');
  if (unitOnly) {
    // Unit tests need nothing but the npm dependencies: no Kubernetes build, no emulators, no code-server.
    ensureNodeModules();
    say('building');
    run('npm', ['run', '--silent', 'build'], { cwd: root });
  } else {
    ensureAll({ codeServer: wanted.includes('e2e') || wanted.includes('exthost') });
    say('building, type-checking and linting');
    run('npm', ['run', '--silent', 'build'], { cwd: root });
    run('npx', ['tsc', '-p', '.', '--noEmit'], { cwd: root });
    run('npm', ['run', '--silent', 'lint'], { cwd: root });
  }

  const baseline = usedMemoryMiB();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, usedMemoryMiB())), 500);
  const results =
    /** @type {{suite: string, code: number, seconds: number, counts?: ReturnType<typeof tapCounts>}[]} */ ([]);
  const reportDir = path.join(root, 'artifacts', 'test-results');
  fs.mkdirSync(reportDir, { recursive: true });
  // Suites run on this process's Node (22 or newer: cli.mjs re-runs itself on Node 24 when started on an older one),
  // without the outer npm's variables.
  const env = {
    ...nestedEnv(),
    DRYDOCK_CACHE: cacheDir,
    DRYDOCK_KUBECONFIG: paths.kubeconfig,
    DRYDOCK_AWS_ENDPOINT: awsEndpoint,
    DRYDOCK_LOCALSTACK_ENDPOINT: `http://localhost:${ports.localstack}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  };
  let envReady = false;
  let startedByUs = /** @type {string[]} */ ([]);
  try {
    for (const suite of wanted) {
      if (suite !== 'unit' && !envReady) {
        startedByUs = await up();
        const { seedAll } = await import('./seed.mjs');
        await seedAll();
        envReady = true;
      }
      const started = Date.now();
      say(`── ${suite} tests ──`);
      let code;
      let counts;
      if (suite === 'exthost') {
        code = await spawnAndWait(['--import', 'tsx', 'test/support/runExtensionHostTests.ts'], env);
      } else {
        const files = testFiles(suite);
        if (files.length === 0) throw new Error(`no ${suite} test files under test/${suite}`);
        const tap = path.join(reportDir, `${suite}.tap`);
        code = await spawnAndWait(
          [
            '--import',
            'tsx',
            '--test',
            // Unit test files share nothing: all of them in one process, so the sources are loaded (and compiled by
            // tsx) once rather than once per file — on a fresh clone that was most of the suite's time.
            ...(suite === 'unit' ? ['--test-isolation=none'] : []),
            '--test-reporter=spec',
            '--test-reporter-destination=stdout',
            '--test-reporter=tap',
            `--test-reporter-destination=${tap}`,
            ...files,
          ],
          env,
        );
        counts = tapCounts(tap);
        if (counts.tests === 0) code = code || 1;
      }
      results.push({ suite, code, seconds: (Date.now() - started) / 1000, counts });
    }
  } finally {
    clearInterval(sampler);
    if (startedByUs.length) await down().catch((e) => say(`down failed: ${e.message}`));
  }
  say('── summary ──');
  for (const r of results) {
    const c = r.counts
      ? ` ${r.counts.pass}/${r.counts.tests} passed${r.counts.skipped ? `, ${r.counts.skipped} skipped` : ''}`
      : '';
    say(`${r.suite.padEnd(12)} ${r.code === 0 ? 'PASS' : 'FAIL'}${c} in ${r.seconds.toFixed(1)} s`);
  }
  say(
    `total ${((Date.now() - t0) / 1000).toFixed(1)} s; peak machine memory in use ${peak} MiB (${peak - baseline} MiB above the ${baseline} MiB before the tests)`,
  );
  return results.every((r) => r.code === 0) ? 0 : 1;
}

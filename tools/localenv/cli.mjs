#!/usr/bin/env node
// @ts-check
// Drydock's local environment: `up`, `down`, `status`, `seed`, `demo`, `test [unit|integration|e2e|exthost]`.
// Plain Node with no dependencies until `install` has run, so it works on a fresh clone.
import { ensureAll, ensureKubeBinaries, ensureMoto, ensureAptPackages, ensureNodeModules } from './install.mjs';
import { clusterDown, clusterStatus, clusterUp, clusterPieces } from './cluster.mjs';
import { motoDown, motoUp } from './moto.mjs';
import { ensureLocalstack, localstackDown, localstackEndpoint, localstackHealth, localstackUp } from './localstack.mjs';
import { awsEndpoint, contextName, paths, ports, root } from './config.mjs';
import { portOpen, run, runningPid, say } from './proc.mjs';
import { onSupportedNode } from './supportedNode.mjs';
import { fileURLToPath } from 'node:url';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { nestedEnv } from './nestedEnv.mjs';

const usage = `usage: node tools/localenv/cli.mjs <command>
  install   install everything (apt packages, npm deps, Kubernetes build, moto, LocalStack, code-server)
  up        start etcd, kube-apiserver, controller-manager, scheduler, kwok, moto and LocalStack (idempotent)
  down      stop what up started and free the ports
  status    show what runs
  seed      create the sample workload (namespace shop + its SQS/DynamoDB/S3 resources)
  demo      up + seed + code-server with Drydock; Ctrl-C stops it all
  test      build and run every test suite (unit, integration, e2e, exthost); "test <suite>" for one
  drydock   run the drydock CLI (dist/cli.js) on a supported Node: npm run --silent drydock -- <args>`;

export async function up() {
  const started = Date.now();
  ensureAptPackages();
  ensureMoto();
  ensureLocalstack();
  ensureKubeBinaries();
  const pieces = [...(await clusterUp())];
  if (await motoUp()) pieces.push('moto');
  if (await localstackUp()) pieces.push('localstack');
  say(
    pieces.length
      ? `started ${pieces.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`
      : 'already running; nothing changed',
  );
  say(`kubeconfig: ${paths.kubeconfig} (context ${contextName})`);
  say(`AWS endpoint: ${awsEndpoint}`);
  say(`LocalStack endpoint (SQS, S3): ${localstackEndpoint()}`);
  return pieces;
}

export async function down() {
  const stopped = [...(await clusterDown())];
  if (await motoDown()) stopped.push('moto');
  if (await localstackDown()) stopped.push('localstack');
  const busy = [];
  for (const [name, port] of Object.entries(ports))
    if (name !== 'demo' && (await portOpen(port))) busy.push(`${name}:${port}`);
  say(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
  if (busy.length)
    throw new Error(`ports still open after down: ${busy.join(', ')} (held by a process Drydock did not start?)`);
}

async function status() {
  const s = await clusterStatus();
  for (const { piece, pid } of s.rows)
    process.stdout.write(`${piece.padEnd(24)} ${pid ? `running (pid ${pid})` : 'stopped'}\n`);
  const moto = runningPid('moto');
  process.stdout.write(`${'moto'.padEnd(24)} ${moto ? `running (pid ${moto}) on ${awsEndpoint}` : 'stopped'}\n`);
  const ls = runningPid('localstack');
  const lsHealth = ls ? await localstackHealth() : undefined;
  process.stdout.write(
    `${'localstack'.padEnd(24)} ${ls ? `running (pid ${ls}) on ${localstackEndpoint()}${lsHealth ? ` (${lsHealth.edition ?? '?'} ${lsHealth.version ?? '?'}, healthy)` : ' (not healthy)'}` : 'stopped'}\n`,
  );
  process.stdout.write(
    `${'api server'.padEnd(24)} ${s.apiReady ? `ready on https://127.0.0.1:${ports.apiserver}` : 'not ready'}\n`,
  );
  process.stdout.write(`kubeconfig: ${paths.kubeconfig}\n`);
  return s.apiReady && moto !== undefined && lsHealth !== undefined && s.rows.every((r) => r.pid);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command && !onSupportedNode()) {
    const { rerunOnNode24 } = await import('./supportedNode.mjs');
    return rerunOnNode24(fileURLToPath(import.meta.url), process.argv.slice(2));
  }
  switch (command) {
    case 'install':
      ensureAll();
      return 0;
    case 'up':
      await up();
      return 0;
    case 'down':
      await down();
      return 0;
    case 'status':
      return (await status()) ? 0 : 3;
    case 'seed': {
      ensureNodeModules();
      await up();
      const { seedAll } = await import('./seed.mjs');
      await seedAll();
      say('sample workload seeded');
      return 0;
    }
    case 'demo': {
      const { demo } = await import('./demo.mjs');
      return demo();
    }
    case 'drydock': {
      // `npm run --silent drydock -- <args>`: the CLI on a supported Node (this process is one, see above).
      ensureNodeModules();
      const cli = path.join(root, 'dist', 'cli.js');
      if (!fs.existsSync(cli)) run('npm', ['run', '--silent', 'build'], { cwd: root, quiet: true });
      const r = spawnSync(process.execPath, [cli, ...rest], { stdio: 'inherit', env: nestedEnv() });
      return r.status ?? 1;
    }
    case 'test': {
      const { runTests } = await import('./tests.mjs');
      return runTests(rest);
    }
    default:
      process.stderr.write(`${usage}\n`);
      return command ? 2 : 0;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`\n[drydock-env] FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
export { clusterPieces };

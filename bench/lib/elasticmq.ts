/**
 * ElasticMQ, a real SQS-compatible server (Scala, from Maven Central), for the SQS benchmark at the
 * brief's 10,000 messages: on moto every ReceiveMessage scans the whole queue three times per message
 * returned, so a 10,000-message capture (and its baseline) would take hours here. Fetched with Maven
 * into .cache/ (no other download), started on a free loopback port, stopped with the bench.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { repoRoot, sleep } from './env';

const VERSION = '1.6.11';
const cacheDir = path.join(
  process.env.DRYDOCK_CACHE ?? path.join(os.homedir(), '.cache', 'drydock'),
  `elasticmq-${VERSION}`,
);

export interface ElasticMq {
  endpoint: string;
  version: string;
  stop(): Promise<void>;
}

/** The server's jars, copied from Maven Central on first use. */
function ensureJars(): string {
  const lib = path.join(cacheDir, 'lib');
  if (existsSync(lib) && readdirSync(lib).some((f) => f.startsWith(`elasticmq-server_2.13-${VERSION}`))) return lib;
  mkdirSync(cacheDir, { recursive: true });
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      path.join(repoRoot, 'bench', 'elasticmq', 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${lib}`,
    ],
    { stdio: 'inherit' },
  );
  if (mvn.error || mvn.status !== 0)
    throw new Error(
      `could not fetch ElasticMQ ${VERSION} with Maven (${mvn.error?.message ?? `exit ${mvn.status}`}); is mvn installed?`,
    );
  return lib;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startElasticMq(log: (m: string) => void): Promise<ElasticMq> {
  const lib = ensureJars();
  const port = await freePort();
  const conf = path.join(cacheDir, `bench-${port}.conf`);
  writeFileSync(
    conf,
    [
      'include classpath("application.conf")',
      `node-address { protocol = http, host = localhost, port = ${port}, context-path = "" }`,
      `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }`,
      'rest-stats { enabled = false }',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    'java',
    [`-Dconfig.file=${conf}`, '-Xmx1g', '-cp', `${lib}${path.sep}*`, 'org.elasticmq.server.Main'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const endpoint = `http://localhost:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ElasticMQ exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.ListQueues' },
        body: '{}',
      });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 60_000) {
      child.kill();
      throw new Error(`ElasticMQ did not answer on ${endpoint} within 60 s: ${stderr}`);
    }
    await sleep(250);
  }
  log(`  ElasticMQ ${VERSION} on ${endpoint} (started in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return {
    endpoint,
    version: VERSION,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

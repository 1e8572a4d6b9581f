import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/env';

/**
 * The fault suite's OWN moto, started and stopped through tools/localenv (its own port and state directory
 * through the DRYDOCK_* variables), so freezing or killing it never disturbs the environment other suites use.
 */
export interface FaultMoto {
  url: string;
  pid(): number;
  freeze(): void;
  thaw(): void;
  kill(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function localenv(call: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(repoRoot, 'tools', 'localenv', 'moto.mjs'))}); await m.${call}();`,
    ],
    {
      env,
      encoding: 'utf8',
      timeout: 90_000,
    },
  );
  if (r.status !== 0) throw new Error(`tools/localenv moto ${call} failed: ${r.stderr}`);
}

export async function startFaultMoto(): Promise<FaultMoto> {
  const state = mkdtempSync(join(tmpdir(), 'drydock-faults-'));
  const port = await freePort();
  const env = { ...process.env, DRYDOCK_STATE: state, DRYDOCK_AWS_PORT: String(port) };
  localenv('motoUp', env);
  const pidOf = () => (JSON.parse(readFileSync(join(state, 'pids', 'moto.pid'), 'utf8')) as { pid: number }).pid;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pidOf(), sig);
    } catch {
      /* already gone */
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: pidOf,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    kill: () => signal('SIGKILL'),
    async restart() {
      signal('SIGKILL');
      localenv('motoDown', env);
      localenv('motoUp', env);
    },
    async stop() {
      signal('SIGCONT');
      localenv('motoDown', env);
      rmSync(state, { recursive: true, force: true });
    },
  };
}

// @ts-check
// The local environment's tools, the tests and the CLI run on a supported Node (22 or newer). Node 20 reached its end
// of life in April 2026 and the AWS SDK warns on every run there; on such a machine we install Node 24 from the npm
// registry into the cache (the same one code-server runs on) and re-run the command on it.
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { ensureNode24, node24Home } from './install.mjs';
import { versions } from './config.mjs';
import { nestedEnv } from './nestedEnv.mjs';
import { say } from './proc.mjs';

export const minimumNodeMajor = 22;

/** True when this process runs on a Node the project supports. */
export function onSupportedNode(version = process.versions.node) {
  return Number(version.split('.')[0]) >= minimumNodeMajor;
}

/**
 * Runs `script args` on the project's Node 24 (installing it when missing), with a clean environment and Node 24 first
 * on PATH so that the npm, npx and node it starts run on Node 24 too. Resolves to the exit code.
 * @param {string} script @param {string[]} args
 * @returns {Promise<number>}
 */
export function rerunOnNode24(script, args) {
  ensureNode24();
  const bin = path.join(node24Home(), 'bin');
  say(`Node ${process.version} is past its end of life: running on Node ${versions.node24} (${bin})`);
  const clean = nestedEnv();
  const child = spawn(path.join(bin, 'node'), [script, ...args], {
    stdio: 'inherit',
    env: { ...clean, PATH: `${bin}${path.delimiter}${clean.PATH ?? ''}` },
  });
  // Ctrl-C reaches the child from the terminal (same process group): this process only waits for it to finish
  // cleaning up. A SIGTERM sent to this process alone is passed on.
  const onInt = () => {};
  const onTerm = () => child.kill('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      say(`could not start Node ${versions.node24}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
  });
}

// @ts-check
// Starting, finding and stopping the environment's processes through pid files.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { paths } from './config.mjs';
import { nestedEnv } from './nestedEnv.mjs';

/** Prints one line of progress. @param {string} message */
export function say(message) {
  process.stderr.write(`[drydock-env] ${message}\n`);
}

/** An error about one piece of the environment, naming its log file. */
export class PieceError extends Error {
  /** @param {string} piece @param {string} message */
  constructor(piece, message) {
    const log = logFile(piece);
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
    super(`${piece}: ${message}\n  log: ${log}\n  last lines:\n${tail.replace(/^/gm, '    ')}`);
  }
}

/** @param {string} piece */
export const logFile = (piece) => path.join(paths.logs, `${piece}.log`);
/** @param {string} piece */
const pidFile = (piece) => path.join(paths.pids, `${piece}.pid`);

/**
 * Runs a command to completion, streaming its output to our stderr (or to a log), and throws when it fails.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, log?: string, quiet?: boolean, input?: string }} [opts]
 */
export function run(cmd, args, opts = {}) {
  const out = opts.log ? fs.openSync(opts.log, 'a') : opts.quiet ? 'ignore' : 'inherit';
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? nestedEnv(),
    stdio: [
      opts.input === undefined ? 'ignore' : 'pipe',
      out === 'inherit' ? process.stderr : out,
      out === 'inherit' ? process.stderr : out,
    ],
    input: opts.input,
  });
  if (typeof out === 'number') fs.closeSync(out);
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed with exit code ${r.status}${opts.log ? ` (log: ${opts.log})` : ''}`,
    );
}

/**
 * Runs a command and returns its stdout; throws with stderr when it fails.
 * @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [opts]
 */
export function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { env: nestedEnv(), ...opts, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid recorded for a piece, if that process is still ours and alive. @param {string} piece */
export function runningPid(piece) {
  const file = pidFile(piece);
  if (!fs.existsSync(file)) return undefined;
  const { pid, exe } = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!alive(pid)) return undefined;
  // Guard against pid reuse: the process must still be the program we started.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(path.basename(exe))) return undefined;
  } catch {
    /* not Linux: trust the pid file */
  }
  return pid;
}

/**
 * Starts a long-running piece in its own process group, logging to its log file and recording its pid.
 * @param {string} piece @param {string} exe @param {string[]} args @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [opts]
 */
export function startDaemon(piece, exe, args, opts = {}) {
  fs.mkdirSync(paths.logs, { recursive: true });
  fs.mkdirSync(paths.pids, { recursive: true });
  const out = fs.openSync(logFile(piece), 'a');
  fs.writeSync(out, `\n==== ${new Date().toISOString()} ${exe} ${args.join(' ')}\n`);
  const child = spawn(exe, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: opts.env ?? nestedEnv(),
    cwd: opts.cwd,
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new PieceError(piece, `could not start ${exe}`);
  fs.writeFileSync(pidFile(piece), JSON.stringify({ pid: child.pid, exe, startedAt: new Date().toISOString() }));
  child.unref();
  return child.pid;
}

/** Stops a piece we started (its whole process group), waiting for it to go. @param {string} piece */
export async function stopDaemon(piece) {
  const pid = runningPid(piece);
  const file = pidFile(piece);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    if (alive(pid)) signalGroup(pid, 'SIGKILL');
    while (alive(pid)) await sleep(50);
    // Children that left the group's leader behind go too.
    signalGroup(pid, 'SIGKILL');
  }
  fs.rmSync(file, { force: true });
  return pid !== undefined;
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns true; fails with the piece's log when the process died or time ran out.
 * @param {string} piece @param {() => Promise<boolean>} check @param {number} timeoutMs
 */
export async function waitReady(piece, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (fs.existsSync(pidFile(piece)) && runningPid(piece) === undefined)
      throw new PieceError(piece, 'exited during start-up');
    if (Date.now() > deadline) throw new PieceError(piece, `not ready after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(250);
  }
}

/** True when something listens on 127.0.0.1:port. @param {number} port */
export function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

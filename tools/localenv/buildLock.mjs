// @ts-check
// One build of a cached piece at a time on this machine: `npm test` and `npm run demo` started together (or two clones
// sharing ~/.cache/drydock) must not build the same thing twice into the same folder. The second waits for the first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { say } from './proc.mjs';

/** @param {number} ms */
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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

/**
 * Runs `build` holding `<target>.lock` unless `done()` already holds; when another live process holds the lock, waits
 * for it to finish and checks `done()` again (a lock left by a dead process is taken over).
 * @param {string} target @param {string} what @param {() => boolean} done @param {() => void} build
 */
export function buildOnce(target, what, done, build) {
  const lock = `${target}.lock`;
  let told = false;
  for (;;) {
    if (done()) return;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    let fd;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch {
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (!told) say(`waiting for ${what}, which process ${holder} is building`);
      told = true;
      sleepSync(2000);
      continue;
    }
    try {
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      if (!done()) build();
      return;
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
}

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../support/env';

// What `npm test` exports to the script it runs (npm 11 on Node 20), as seen in the failure this guards against:
// code-server's postinstall read "node/v20" from npm_config_user_agent inside a nested npm install running on Node 24.
const outerNpm: NodeJS.ProcessEnv = {
  HOME: '/home/someone',
  PATH: [
    '/work/clone/node_modules/.bin',
    '/work/node_modules/.bin',
    '/node_modules/.bin',
    '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
    '/usr/local/bin',
    '/usr/bin',
  ].join(path.delimiter),
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_lifecycle_event: 'test',
  npm_node_execpath: '/usr/bin/node',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  NPM_CONFIG_CACHE: '/tmp/npm-cache',
  INIT_CWD: '/work/clone',
  NODE: '/usr/bin/node',
  DRYDOCK_CACHE: '/tmp/cache',
};

test('nested tools get none of the outer npm variables and none of the PATH entries npm added', async () => {
  const { nestedEnv } = await import('../../../tools/localenv/nestedEnv.mjs');
  const env = nestedEnv({ npm_config_nodedir: '/opt/node24' }, outerNpm);
  assert.deepEqual(
    Object.keys(env).filter((k) => /^npm_/i.test(k)),
    ['npm_config_nodedir'],
  );
  assert.equal(env.INIT_CWD, undefined);
  assert.equal(env.NODE, undefined);
  assert.equal(env.PATH, ['/usr/local/bin', '/usr/bin'].join(path.delimiter));
  assert.equal(env.HOME, '/home/someone');
  assert.equal(env.DRYDOCK_CACHE, '/tmp/cache');
});

test('under a real npm, the installs the environment runs (npm, go, code-server on Node 24) see no npm_* variable', () => {
  // The probe runs under `npm exec`, which exports its variables exactly as `npm test` does, then runs a child through
  // the same `run()` and environments that ensureCodeServer/ensureKubeBinaries use.
  const probe = `
    import { run } from './tools/localenv/proc.mjs';
    import { node24Env } from './tools/localenv/install.mjs';
    const leaked = (env) => Object.keys(env).filter((k) => /^npm_/i.test(k) && k !== 'npm_config_nodedir');
    const check = 'process.exit(Object.keys(process.env).some((k) => /^npm_/i.test(k) && k !== "npm_config_nodedir") ? 3 : 0)';
    run(process.execPath, ['-e', check], { quiet: true });
    run(process.execPath, ['-e', check], { quiet: true, env: node24Env({ npm_config_dangerously_allow_all_scripts: undefined }) });
    process.stdout.write(JSON.stringify({ outer: leaked(process.env), nested: leaked(node24Env()) }));
  `;
  const r = spawnSync('npm', ['exec', '--call', 'node --input-type=module -e "$DRYDOCK_PROBE"'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, DRYDOCK_PROBE: probe },
  });
  assert.equal(r.status, 0, r.stderr);
  const { outer, nested } = JSON.parse(r.stdout) as { outer: string[]; nested: string[] };
  assert.ok(outer.includes('npm_config_user_agent'), `the probe did not run under npm: ${outer.join(', ')}`);
  assert.deepEqual(nested, []);
});

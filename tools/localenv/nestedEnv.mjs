// @ts-check
// The environment handed to every tool the local environment runs (npm installs, go builds, servers, test suites).
//
// `npm test` and `npm run demo` run us under npm, which exports its own configuration as `npm_*` variables
// (`npm_config_user_agent` names the outer Node version), `INIT_CWD`, `NODE`, and puts `node_modules/.bin` and its
// node-gyp shim first on PATH. A nested `npm install` inherits all of it and believes it runs under the outer npm: code-server's
// postinstall read "node v20" from `npm_config_user_agent` and refused to install on Node 24. Nested tools get none of it.
import * as path from 'node:path';

/** Variables npm sets for the scripts it runs (besides everything starting with `npm_`). */
const npmScriptVariables = ['INIT_CWD', 'NODE', 'NODE_ENV_NPM', 'COLOR', 'EDITOR_NPM'];

/** True for a PATH entry npm prepended for a script: `…/node_modules/.bin` and its node-gyp shim. @param {string} dir */
function addedByNpm(dir) {
  const d = dir.replace(/[\\/]+$/, '');
  return d.endsWith(`${path.sep}node_modules${path.sep}.bin`) || d.endsWith(`${path.sep}node-gyp-bin`);
}

/**
 * The outer environment without what npm added for its script, plus `extra` (explicit settings win).
 * @param {Record<string, string | undefined>} [extra]
 * @param {NodeJS.ProcessEnv} [outer]
 * @returns {NodeJS.ProcessEnv}
 */
export function nestedEnv(extra = {}, outer = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [key, value] of Object.entries(outer)) {
    if (value === undefined) continue;
    if (/^npm_/i.test(key) || npmScriptVariables.includes(key)) continue;
    env[key] = value;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = (env[pathKey] ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !addedByNpm(dir))
    .join(path.delimiter);
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

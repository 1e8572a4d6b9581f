// @ts-check
// Starts code-server (VS Code in the browser) on Node 24 with Drydock installed, in a throwaway profile.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { awsEndpoint, paths, ports, root } from './config.mjs';
import { codeServerBin, node24Env, node24Home } from './install.mjs';
import { freePort, portOpen, sleep } from './proc.mjs';

/**
 * @typedef {{ url: string, port: number, workspace: string, profileDir: string, logFile: string, stop(): Promise<void> }} CodeServer
 * Drydock is installed from its VSIX with `--install-extension`, as users install it (see `installVsix`);
 * `linkExtension: false` starts it without Drydock (extension-host tests load it as a development extension).
 * @param {{ port?: number, workspace?: string, settings?: Record<string, unknown>, smokeTestDriver?: boolean, linkExtension?: boolean }} [opts]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts = {}) {
  const port = opts.port ?? (await freePort());
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-code-server-'));
  const userData = path.join(profileDir, 'user-data');
  const extensions = path.join(profileDir, 'extensions');
  const workspace = opts.workspace ?? path.join(profileDir, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.tips.enabled': false,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.commandCenter.enabled': false,
    'drydock.kubeconfig': paths.kubeconfig,
    'drydock.aws.endpoints': [awsEndpoint, `http://localhost:${ports.localstack}`],
    ...opts.settings,
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // The remote extension host applies Machine settings from its own side at start, without waiting for the
  // browser to sync the user's: put Drydock's there too so they are in effect from activation on.
  fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  const machine = Object.fromEntries(Object.entries(settings).filter(([k]) => k.startsWith('drydock.')));
  fs.writeFileSync(path.join(userData, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));
  if (opts.linkExtension !== false) installVsix(ensureVsix(), { userData, extensions, profileDir });
  const config = path.join(profileDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(paths.logs, `code-server-${port}.log`);
  fs.mkdirSync(paths.logs, { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const args = [
    codeServerBin(),
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child = spawn(path.join(node24Home(), 'bin', 'node'), args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: node24Env({
      XDG_CONFIG_HOME: path.join(profileDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(profileDir, 'xdg-data'),
      EXTENSIONS_GALLERY: '{}',
      DRYDOCK_KUBECONFIG: paths.kubeconfig,
      // What kubectl would use too, so the extension finds the local cluster even before settings sync.
      KUBECONFIG: paths.kubeconfig,
    }),
  });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const deadline = Date.now() + 5000;
      while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(100);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}; log: ${logFile}`);
    if (await portOpen(port)) {
      const res = await fetch(`${url}/healthz`).catch(() => undefined);
      if (res?.ok) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server not ready after 60 s; log: ${logFile}`);
    }
    await sleep(200);
  }
  return { url, port, workspace, profileDir, logFile, stop };
}

export { freePort };

/** The VSIX `npm run package` writes: `<name>-<version>.vsix` in the repository. */
export function vsixFile() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${pkg.name}-${pkg.version}.vsix`);
}

/** The newest modification time under a file or folder (0 when absent). @param {string} p @returns {number} */
function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/**
 * The VSIX, packaged again (`npm run package`) when it is missing or older than what goes into it
 * (src/, media/, package.json, README.md, esbuild.mjs). `npm test` and `npm run demo` package it before they start.
 */
export function ensureVsix() {
  const file = vsixFile();
  const built = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
  const inputs = ['src', 'media', 'package.json', 'README.md', 'CHANGELOG.md', 'esbuild.mjs', 'tools/build'].map((p) =>
    newestMtime(path.join(root, p)),
  );
  if (built === 0 || Math.max(...inputs) > built) {
    // A second try when the first fails: a build running beside it may rewrite dist/ while vsce zips it.
    for (let attempt = 1; ; attempt++) {
      try {
        execFileSync('npm', ['run', '--silent', 'package'], {
          cwd: root,
          stdio: ['ignore', 'ignore', 'inherit'],
          timeout: 300_000,
        });
        break;
      } catch (error) {
        if (attempt >= 2)
          throw new Error(`npm run package failed: ${/** @type {Error} */ (error).message}`, { cause: error });
      }
    }
    if (!fs.existsSync(file)) throw new Error(`npm run package did not write ${file}`);
  }
  return file;
}

/**
 * Installs a VSIX into a code-server profile the way a user does: `code-server --install-extension <vsix>` with the
 * same extensions and user-data folders the server then starts with.
 * @param {string} vsix @param {{ userData: string, extensions: string, profileDir: string }} dirs
 */
export function installVsix(vsix, dirs) {
  try {
    execFileSync(
      path.join(node24Home(), 'bin', 'node'),
      [
        codeServerBin(),
        '--user-data-dir',
        dirs.userData,
        '--extensions-dir',
        dirs.extensions,
        '--install-extension',
        vsix,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: node24Env({
          XDG_CONFIG_HOME: path.join(dirs.profileDir, 'xdg-config'),
          XDG_DATA_HOME: path.join(dirs.profileDir, 'xdg-data'),
          EXTENSIONS_GALLERY: '{}',
        }),
      },
    );
  } catch (error) {
    const e = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error);
    throw new Error(
      `code-server --install-extension ${vsix} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      { cause: error },
    );
  }
  const installed = fs.readdirSync(dirs.extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  if (!installed.length)
    throw new Error(`code-server --install-extension ${vsix} installed nothing into ${dirs.extensions}`);
}

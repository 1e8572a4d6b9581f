// Runs the extension-host suites in desktop VS Code downloaded by @vscode/test-electron.
// Needs internet access to download VS Code; on offline machines `npm test` runs the same suites in code-server.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '..', '..');

runTests({
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'out', 'test', 'exthost', 'index.js'),
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  extensionTestsEnv: { DRYDOCK_KUBECONFIG: path.join(root, '.localenv', 'kubeconfig') },
}).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

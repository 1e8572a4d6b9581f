// Runs the mocha suites of test/exthost inside code-server's real extension host and exits with their result.
// code-server's smoke-test driver picks up extensionDevelopmentPath/extensionTestsPath from the URL payload and
// reports the outcome through window.codeAutomationExit.
import * as path from 'node:path';
import { repoRoot } from './env';
import { launchChromium, screenshotDir } from './workbench';
import { startCodeServer } from '../../tools/localenv/codeServer.mjs';
import * as fs from 'node:fs';
import { format } from 'node:util';

async function main(): Promise<number> {
  const server = await startCodeServer({ smokeTestDriver: true, linkExtension: false });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const remote = `vscode-remote://127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `${remote}${repoRoot}`],
      ['extensionTestsPath', `${remote}${path.join(repoRoot, 'out', 'test', 'exthost', 'index.js')}`],
      ['skipWelcome', 'true'],
    ];
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (
        /^Ignoring fetching|^\[(reconnection|Service Worker|AgentHost|AccountPolicyGate)|^Creating a socket/.test(line)
      )
        return;
      process.stdout.write(`${type === 'error' ? '[exthost:error] ' : ''}${line}\n`);
    });
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        process.stderr.write('extension-host tests did not finish within 10 minutes\n');
        resolve(1);
      }, 600_000),
    );
    const code = await Promise.race([exit, timeout]);
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'exthost-tests.png') }).catch(() => undefined);
    process.stdout.write(`extension-host tests exited with code ${code}\n`);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);

// @ts-check
// `npm run demo`: environment up, sample workload seeded, code-server with Drydock; Ctrl-C stops what it started.
import { ensureAll } from './install.mjs';
import { ports, paths, root } from './config.mjs';
import { say } from './proc.mjs';
import { up, down } from './cli.mjs';
import { ensureVsix, startCodeServer } from './codeServer.mjs';

export async function demo() {
  ensureAll();
  // Drydock goes into code-server from its VSIX (`npm run package`), the way users install it.
  say('packaging the extension (VSIX)');
  ensureVsix();
  const started = await up();
  const { seedAll } = await import('./seed.mjs');
  await seedAll();
  const server = await startCodeServer({ port: ports.demo, workspace: root });
  process.stdout.write(`\n  Drydock is running in VS Code at  ${server.url}/?folder=${encodeURIComponent(root)}\n`);
  process.stdout.write(
    `  kubeconfig: ${paths.kubeconfig}   (kubectl: ${paths.kubeBin}/kubectl --kubeconfig ${paths.kubeconfig})\n`,
  );
  process.stdout.write('  Press Ctrl-C to stop.\n\n');
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('stopping');
  await server.stop();
  if (started.length) await down();
  return 0;
}

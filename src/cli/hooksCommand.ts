import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError, DrydockError } from '../core/errors';
import { installPrePushHook } from '../core/drill/prePushHook';

const usage = `Usage: drydock hooks install [--config FILE] [--force]
  Adds a git pre-push hook that runs \`drydock drill --config FILE\` (default .drydock/drill.yaml) and blocks the
  push when the drill fails. An existing hook that is not Drydock's is kept unless --force (then saved as
  pre-push.drydock-backup). Skip the hook for one push with: git push --no-verify
`;

export async function runHooksCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { config: { type: 'string' }, force: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`drydock hooks: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const [sub] = parsed.positionals;
  if (sub !== 'install' || parsed.positionals.length !== 1) {
    process.stderr.write(`drydock hooks: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${usage}`);
    return 2;
  }
  try {
    const r = await installPrePushHook({
      cwd: process.cwd(),
      node: process.execPath,
      cli: resolve(process.argv[1] ?? 'drydock'),
      config: parsed.values.config ?? '.drydock/drill.yaml',
      force: parsed.values.force,
    });
    process.stdout.write(
      `Pre-push hook ${r.action}: ${r.path}${r.backup ? ` (the previous hook is in ${r.backup})` : ''}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`drydock hooks: ${describeError(error)}\n`);
    return DrydockError.is(error, 'invalid-input') ? 2 : 1;
  }
}

import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DrydockError } from '../errors';

/** Marks a pre-push hook as Drydock's own, so it may be replaced without `--force`. */
export const HOOK_MARKER = 'drydock-pre-push-hook';

/** POSIX-shell single quoting. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook script: runs `drydock drill --config <file>` from the repository's top level and exits with its
 * status, so a failing drill blocks the push. `git push --no-verify` skips it; `DRYDOCK_CLI` overrides the
 * command (e.g. `DRYDOCK_CLI=drydock`).
 */
export function prePushHookScript(o: { node: string; cli: string; config: string }): string {
  return `#!/bin/sh
# ${HOOK_MARKER} (installed by \`drydock hooks install\`)
# Runs the configured restore drill before every push and blocks the push when it fails.
# Skip it once with: git push --no-verify
cd "$(git rev-parse --show-toplevel)" || exit 1
if [ -n "$DRYDOCK_CLI" ]; then
  exec $DRYDOCK_CLI drill --config ${shellQuote(o.config)} </dev/null
fi
exec ${shellQuote(o.node)} ${shellQuote(o.cli)} drill --config ${shellQuote(o.config)} </dev/null
`;
}

export function isDrydockHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}

/** The repository's hooks directory as git sees it (honours core.hooksPath and worktrees). */
export async function gitHooksDir(cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--git-path', 'hooks'], { cwd });
    const dir = stdout.trim();
    return isAbsolute(dir) ? dir : resolve(cwd, dir);
  } catch (error) {
    throw new DrydockError(
      'invalid-input',
      `${cwd} is not inside a git repository (git rev-parse failed: ${(error as Error).message.trim()}).`,
    );
  }
}

export interface InstallHookResult {
  path: string;
  /** `created`, `replaced` (an older Drydock hook) or `overwritten` (a foreign hook, with `--force`; backed up). */
  action: 'created' | 'replaced' | 'overwritten';
  backup?: string;
}

/** Installs the pre-push hook; a hook that is not Drydock's is left alone unless `force` (then kept as a backup). */
export async function installPrePushHook(o: {
  cwd: string;
  node: string;
  cli: string;
  config: string;
  force?: boolean;
}): Promise<InstallHookResult> {
  const dir = await gitHooksDir(o.cwd);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'pre-push');
  let action: InstallHookResult['action'] = 'created';
  let backup: string | undefined;
  if (existsSync(path)) {
    const current = await readFile(path, 'utf8');
    if (isDrydockHook(current)) action = 'replaced';
    else if (!o.force) {
      throw new DrydockError(
        'conflict',
        `${path} already exists and is not Drydock's hook. Add the line \`drydock drill --config ${o.config}\` to it yourself, or run \`drydock hooks install --force\` to replace it (it is kept as pre-push.drydock-backup).`,
      );
    } else {
      backup = `${path}.drydock-backup`;
      await rename(path, backup);
      action = 'overwritten';
    }
  }
  await writeFile(path, prePushHookScript(o), { mode: 0o755 });
  await chmod(path, 0o755);
  return { path, action, ...(backup ? { backup } : {}) };
}

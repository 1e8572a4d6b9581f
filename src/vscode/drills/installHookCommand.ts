import * as vscode from 'vscode';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { describeError, DrydockError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { parseDrillFile } from '../../core/drill';
import { gitHooksDir, installPrePushHook } from '../../core/drill/prePushHook';
import type { NamespaceTarget } from '../snapshots/commands/snapshotNamespace';
import { ContextKey, setContextKey } from '../contextKeys';
import { readWorkspaceDrillFile } from './drillWorkspace';

const DRILL_FILE = '.drydock/drill.yaml';

/**
 * "Install Pre-Push Drill Hook…": the git pre-push hook `drydock hooks install` writes, which runs
 * `drydock drill --config .drydock/drill.yaml` before every push. When the workspace has no drill file naming a
 * namespace, it asks for one and writes a minimal drill file first. Everything is checked before the
 * confirmation; nothing is written without it.
 */
export async function installPrePushHookCommand(
  context: vscode.ExtensionContext,
  logger: Logger,
  pickNamespace: () => Promise<NamespaceTarget | undefined>,
): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) {
    void vscode.window.showInformationMessage(
      'Open the folder of a git repository first: the hook runs a drill before each push from it.',
    );
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Installing a git hook writes into the repository: trust this workspace first.',
    );
    return;
  }
  try {
    const hooksDir = await gitHooksDir(folder);
    const existing = await readWorkspaceDrillFile(folder);
    let drillFileText: string | undefined;
    let what = '';
    if (existing && !existing.namespace) {
      throw new DrydockError(
        'invalid-input',
        `${DRILL_FILE} names no namespace: add \`namespace: <name>\` to it, then install the hook.`,
      );
    }
    if (!existing) {
      const target = await pickNamespace();
      if (!target) return;
      const endpoint = vscode.workspace.getConfiguration('drydock.aws').get<string[]>('endpoints', [])[0];
      drillFileText =
        `# What \`drydock drill --config ${DRILL_FILE}\` (the pre-push hook) snapshots and drills; add your own checks.\n` +
        stringify({
          namespace: target.namespace,
          context: target.contextName,
          ...(endpoint ? { aws: { endpoint, autoDetect: true } } : {}),
          checks: [],
        });
      parseDrillFile(drillFileText, DRILL_FILE); // the hook must be able to read what is written
      what = `write ${DRILL_FILE} (namespace ${target.namespace} of ${target.contextName}) and `;
    }
    const cli = path.join(context.extensionPath, 'dist', 'cli.js');
    const hookPath = path.join(hooksDir, 'pre-push');
    const answer = await vscode.window.showWarningMessage(
      `Install a git pre-push hook in ${hookPath}?`,
      {
        modal: true,
        detail:
          `This will ${what}add a hook that runs \`drydock drill --config ${DRILL_FILE}\` before every push and blocks the push when the drill fails ` +
          `(skip it once with \`git push --no-verify\`).${existsSync(hookPath) ? " A pre-push hook that is not Drydock's is left alone." : ''}`,
      },
      'Install',
    );
    if (answer !== 'Install') return;
    if (drillFileText) {
      await mkdir(path.join(folder, '.drydock'), { recursive: true });
      await writeFile(path.join(folder, DRILL_FILE), drillFileText, { flag: 'wx' });
    }
    const result = await installPrePushHook({ cwd: folder, node: 'node', cli, config: DRILL_FILE });
    logger.info(`Pre-push hook ${result.action}: ${result.path}`);
    setContextKey(ContextKey.installedHook, true);
    void vscode.window.showInformationMessage(
      `Pre-push drill hook ${result.action}: ${result.path}. It runs ${DRILL_FILE} before every push.`,
    );
  } catch (error) {
    logger.error(`Installing the pre-push hook failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not install the pre-push hook: ${describeError(error)}`);
  }
}

import * as vscode from 'vscode';
import * as path from 'node:path';
import {
  parseNamespaceMap,
  restoreSnapshot,
  type ExistingPolicy,
  type RestoreReport,
  type SnapshotSummary,
} from '../../../core/snapshot';
import { describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import { withEngineProgress } from '../engineProgress';
import { kubeClientFor, pickAwsClients, writeAllowList } from '../snapshotTargets';
import type { AwsClients } from '../../../core/aws/clients';
import { snapshotKeySource } from '../snapshotKey';
import type { ReportDocuments } from '../reportDocuments';
import type { SecretKeySource } from '../../../core/snapshot/secretCrypto';

export interface RestoreChoices {
  context: string;
  namespaceMap: Map<string, string>;
  prefix: string;
  existing: ExistingPolicy;
}

/** Asks where and how to restore: context, namespace mapping, AWS name prefix, existing-object policy. */
export async function askRestoreChoices(
  summary: SnapshotSummary,
  purpose: string,
  targetContext?: string,
): Promise<RestoreChoices | undefined> {
  const m = summary.manifest;
  if (!m) return undefined;
  const context = targetContext ?? m.source.kube?.context ?? 'drydock-local';
  const namespaces = m.source.kube?.namespaces ?? [];
  const mapText = await vscode.window.showInputBox({
    title: `${purpose}: namespaces`,
    prompt: 'Map namespaces as old:new (comma separated). Keep them to restore in place.',
    value: namespaces.map((n) => `${n}:${n}`).join(','),
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        parseNamespaceMap(
          v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        return undefined;
      } catch (e) {
        return describeError(e);
      }
    },
  });
  if (mapText === undefined) return undefined;
  const namespaceMap = parseNamespaceMap(
    mapText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  let prefix = '';
  if (m.aws.sqs.length + m.aws.dynamodb.length + m.aws.s3.length > 0) {
    const p = await vscode.window.showInputBox({
      title: `${purpose}: AWS names`,
      prompt:
        'Prefix for the restored queues, tables and buckets (empty: their own names). References in the namespace are rewritten to match.',
      value: [...namespaceMap].some(([a, b]) => a !== b) ? `${[...namespaceMap.values()][0]}-` : '',
      ignoreFocusOut: true,
      validateInput: (v) =>
        /^[a-z0-9-]*$/.test(v)
          ? undefined
          : 'Use lower-case letters, digits and dashes (valid for queues, tables and buckets).',
    });
    if (p === undefined) return undefined;
    prefix = p;
  }
  const existing = await vscode.window.showQuickPick(
    [
      { label: 'Skip', description: 'leave objects that already exist as they are (default)', value: 'skip' as const },
      { label: 'Update', description: "replace existing objects with the snapshot's", value: 'update' as const },
      { label: 'Recreate', description: 'delete and create existing objects again', value: 'recreate' as const },
    ],
    { title: `${purpose}: objects that already exist`, ignoreFocusOut: true },
  );
  if (!existing) return undefined;
  return { context, namespaceMap, prefix, existing: existing.value };
}

export function reportSummaryLine(report: RestoreReport): string {
  const c = report.counts;
  const verb = report.dryRun ? 'would be ' : '';
  return `${c.created} ${verb}created, ${c.updated + c.recreated} ${verb}updated, ${c.skipped} ${verb}skipped, ${c.failed} failed`;
}

/**
 * `opened`: a recovery point opened for this command (a Velero backup): the key its Secrets were sealed with in
 * this process, and the local context the user picked (a Velero backup names none of this machine's).
 */
export type RestoreDeps = {
  secrets: vscode.SecretStorage;
  logger: Logger;
  reports: ReportDocuments;
  opened?: { keySource?: SecretKeySource; context: string };
};

/** What the user said to a restore's preview: go ahead, and whether to create what reaches beyond the namespaces. */
export interface RestoreConsent {
  restore: boolean;
  allowBeyondNamespaces: boolean;
}

/**
 * "Restore…": choices, a dry-run preview, the modal confirmation (and an extra one for anything beyond the
 * namespaces), the restore, and its report. Takes no choices from its caller: no command argument can skip a question.
 */
export async function restoreSnapshotCommand(
  summary: SnapshotSummary | undefined,
  deps: RestoreDeps,
): Promise<RestoreReport | undefined> {
  if (!summary?.manifest) return undefined;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Restoring writes to your cluster and AWS endpoint: trust this workspace first.',
    );
    return undefined;
  }
  const choices = await askRestoreChoices(summary, `Restore ${path.basename(summary.path)}`, deps.opened?.context);
  if (!choices) return undefined;
  return restoreWithChoices(summary, choices, deps, (preview) =>
    askRestoreConsent(summary, choices, preview, deps.reports),
  );
}

/** The modal question after the preview; what reaches beyond the namespaces needs a second, explicit yes. */
async function askRestoreConsent(
  summary: SnapshotSummary,
  choices: RestoreChoices,
  preview: RestoreReport,
  reports: ReportDocuments,
): Promise<RestoreConsent> {
  const name = path.basename(summary.path);
  const no = { restore: false, allowBeyondNamespaces: false };
  const go = await vscode.window.showInformationMessage(
    `Restore ${name} into ${choices.context}?`,
    { modal: true, detail: `Preview: ${reportSummaryLine(preview)}.` },
    'Restore',
    'Show Preview',
  );
  if (go === 'Show Preview') await reports.open(`preview-${name}.json`, JSON.stringify(preview, null, 2));
  if (go !== 'Restore') return no;
  const beyond = preview.beyondNamespaces ?? [];
  if (!beyond.length) return { restore: true, allowBeyondNamespaces: false };
  const shown = beyond.slice(0, 8).map((b) => `• ${b.id}: ${b.why}`);
  if (beyond.length > shown.length)
    shown.push(`… and ${beyond.length - shown.length} more (Show Preview lists them all)`);
  const also = await vscode.window.showWarningMessage(
    `${name} would also create ${beyond.length} object(s) beyond its namespaces.`,
    {
      modal: true,
      detail: `A recovery point from elsewhere is untrusted input. Check these before creating them:\n${shown.join('\n')}`,
    },
    'Create Them Too',
  );
  return also === 'Create Them Too' ? { restore: true, allowBeyondNamespaces: true } : no;
}

/**
 * The restore once the choices are made: a dry-run preview, `consent` to it, the restore, and its report.
 * The command passes the modal questions; extension-host tests pass their answer through the extension's
 * exports (only outside production mode).
 */
export async function restoreWithChoices(
  summary: SnapshotSummary,
  choices: RestoreChoices,
  deps: RestoreDeps,
  consent: (preview: RestoreReport) => Promise<RestoreConsent>,
  pickAws: () => Promise<AwsClients | undefined> = () => pickAwsClients('AWS endpoint to restore into'),
): Promise<RestoreReport | undefined> {
  if (!summary.manifest) return undefined;
  if (!vscode.workspace.isTrusted) return undefined;
  const name = path.basename(summary.path);
  const aws =
    summary.manifest.aws.sqs.length + summary.manifest.aws.dynamodb.length + summary.manifest.aws.s3.length > 0
      ? await pickAws()
      : undefined;
  try {
    const keySource = deps.opened?.keySource ?? (await snapshotKeySource(deps.secrets, false));
    const base = {
      source: summary.path,
      keySource: keySource === 'plain' ? undefined : keySource,
      kube: { client: kubeClientFor(choices.context), namespaceMap: choices.namespaceMap },
      aws: aws && { clients: aws, prefix: choices.prefix },
      existing: choices.existing,
      allow: writeAllowList(),
      logger: deps.logger,
    };
    const preview = await withEngineProgress(`Preview of restoring ${name}`, (signal, progress) =>
      restoreSnapshot({ ...base, dryRun: true, signal, progress }),
    );
    const answer = await consent(preview);
    if (!answer.restore) return undefined;
    const report = await withEngineProgress(`Restoring ${name}`, (signal, progress) =>
      restoreSnapshot({
        ...base,
        dryRun: false,
        allowBeyondNamespaces: answer.allowBeyondNamespaces,
        signal,
        progress,
      }),
    );
    deps.logger.info(`Restore of ${name}: ${report.status}; ${reportSummaryLine(report)}`);
    const text = `Restore of ${name}: ${report.status === 'ok' ? 'done' : report.status.toUpperCase()} — ${reportSummaryLine(report)}.`;
    const show =
      report.status === 'ok'
        ? vscode.window.showInformationMessage(text, 'Open Report')
        : vscode.window.showErrorMessage(text, 'Open Report');
    void show.then((a) => a && deps.reports.open(`restore-${name}.json`, JSON.stringify(report, null, 2)));
    return report;
  } catch (error) {
    deps.logger.error(`Restore of ${name} failed: ${describeError(error)}`);
    void vscode.window
      .showErrorMessage(`Restore of ${name} failed: ${describeError(error)}`, 'Show Log')
      .then((a) => a && vscode.commands.executeCommand('drydock.showLog'));
    return undefined;
  } finally {
    aws?.destroy();
  }
}

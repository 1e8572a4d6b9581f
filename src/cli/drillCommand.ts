import { secretKeyFromEnv } from './secretKeyFromEnv';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setMaxListeners } from 'node:events';
import { version } from '../../package.json';
import { createAwsClients, endpointUrls } from '../core/aws/clients';
import { DrydockError, describeError } from '../core/errors';
import { loadKubeConfig } from '../core/kube/kubeconfig';
import { primeHostLocality } from '../core/guard/local';
import { assertAwsWritable, assertKubeWritable } from '../core/snapshot/writeGuard';
import { KubeRawClient } from '../core/kube/rawClient';
import { stderrLogger } from '../core/log';
import { describeVeleroBackup, resolveRecoveryPoint } from '../core/velero';
import {
  cleanupLeftovers,
  DrillRuns,
  drillsDirOf,
  formatMs,
  parseDrillFile,
  renderDrillMarkdown,
  runDrill,
  snapshotAndDrill,
  type DrillFile,
  type DrillProgressEvent,
  type DrillReport,
} from '../core/drill';
import { serviceEndpointOptions, serviceEndpointUsage, serviceEndpoints } from './serviceEndpoints';
import { adaptOptions, adaptUsage } from './adaptOptions';
import { knownAwsSettingsOf } from '../core/adapt/awsLocalCopyStep';

/** Exit codes: 0 the drill passed, 1 it failed (or was cancelled or stopped), 2 usage error, 5 refused by the local-only guard. */
export const DrillExit = { passed: 0, failed: 1, usage: 2, refused: 5 } as const;

export const drillUsage = `Drills:
  drill <recovery point>       restore a snapshot into a scratch namespace and drill-prefixed AWS resources,
                               verify it, time every phase, report what was missing, clean up
  drill --config FILE          snapshot the live local namespace the drill file names, then drill it
                               (FILE is usually .drydock/drill.yaml; with a recovery point, only its checks are used)
      --json                     the report as JSON on stdout (progress stays on stderr)
      --report FILE              also write the report to FILE (JSON if it ends .json, else Markdown)
      --keep-on-failure          keep the drill target of a failed drill for inspection (the next drill removes it)
      --ready-timeout SECONDS    how long workloads get to become ready (default 90)
      --workspace DIR            where .drydock/drills/ (reports, history, ledger) lives (default: the drill file's
                                 workspace, else the current directory)
      --cleanup                  only remove the leftovers of earlier drills
      --kubeconfig PATH --context NAME --aws-endpoint URL (default http://localhost:4566) --region R --no-aws
      ${serviceEndpointUsage}
      --allow-context NAME --allow-endpoint URL   explicitly allow a target that is not local
      --allow-cluster-scoped     create what reaches beyond the namespaces (cluster-scoped objects, RoleBindings to
                                 ClusterRoles or other namespaces' accounts); without it such a drill is refused
      ${adaptUsage}
      --aws-from SNAPSHOT        the local copies of the production AWS resources the objects reference take the
                                 settings (key schema, FIFO, attributes) of the queues and tables of this Drydock
                                 snapshot's AWS part, by name (not their messages or items); others are inferred
  Secrets of a recovery point are opened with DRYDOCK_SNAPSHOT_PASSPHRASE or DRYDOCK_SNAPSHOT_IDENTITY_FILE.
  Exit codes: 0 passed, 1 failed/cancelled, 2 usage error, 5 refused by the local-only guard.
Hooks:
  hooks install [--config FILE] [--force]   add a git pre-push hook that runs the drill and blocks a failing push
                                            (git push --no-verify skips it)
`;

const options = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  'keep-on-failure': { type: 'boolean' },
  'ready-timeout': { type: 'string' },
  workspace: { type: 'string' },
  cleanup: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'aws-endpoint': { type: 'string' },
  ...serviceEndpointOptions,
  region: { type: 'string' },
  'no-aws': { type: 'boolean' },
  'allow-context': { type: 'string', multiple: true },
  'allow-endpoint': { type: 'string', multiple: true },
  'allow-cluster-scoped': { type: 'boolean' },
  'no-adapt': { type: 'boolean' },
  adapt: { type: 'boolean' },
  'storage-class-map': { type: 'string', multiple: true },
  'aws-from': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

function usageError(message: string): number {
  process.stderr.write(`drydock drill: ${message}\n\n${drillUsage}`);
  return DrillExit.usage;
}

/** Prints progress on stderr, at most a few lines a second within one phase. */
function progressPrinter() {
  let last = 0;
  let lastPhase = '';
  return (e: DrillProgressEvent) => {
    const now = Date.now();
    if (e.phase === lastPhase && now - last < 300) return;
    last = now;
    lastPhase = e.phase;
    process.stderr.write(`[${e.phase}] ${e.message}${e.total ? ` (${e.done ?? 0}/${e.total})` : ''}\n`);
  };
}

/** A workspace is the folder holding `.drydock/`: the drill file's, when it sits in one. */
function workspaceOf(configPath: string | undefined): string {
  if (configPath) {
    const dir = dirname(resolve(configPath));
    if (basename(dir) === '.drydock') return dirname(dir);
  }
  return process.cwd();
}

export async function runDrillCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(drillUsage);
    return DrillExit.passed;
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) return usageError(`give one recovery point, not ${positionals.length}`);
  const recoveryPoint = positionals[0];
  if (!recoveryPoint && !v.config && !v.cleanup) return usageError('give a recovery point or --config FILE');
  let readyTimeoutMs: number | undefined;
  if (v['ready-timeout'] !== undefined) {
    const s = Number(v['ready-timeout']);
    if (!(s > 0)) return usageError('--ready-timeout must be a positive number of seconds');
    readyTimeoutMs = s * 1000;
  }
  const logger = stderrLogger(v.verbose ?? false);
  let adapt: ReturnType<typeof adaptOptions>;
  try {
    adapt = adaptOptions(v);
  } catch (error) {
    return usageError((error as Error).message);
  }
  let drillFile: DrillFile | undefined;
  if (v.config) {
    if (!existsSync(v.config)) return usageError(`no drill file at ${v.config}`);
    try {
      drillFile = parseDrillFile(await readFile(v.config, 'utf8'), v.config);
    } catch (error) {
      process.stderr.write(`drydock drill: ${describeError(error)}\n`);
      return DrillExit.usage;
    }
  }
  const workspaceDir = resolve(v.workspace ?? workspaceOf(v.config));
  const kubeConfig = loadKubeConfig(v.kubeconfig ? [v.kubeconfig] : undefined);
  const context = v.context ?? drillFile?.context;
  let services: ReturnType<typeof serviceEndpoints>;
  try {
    services = serviceEndpoints(v);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const endpoint = v['no-aws']
    ? undefined
    : {
        url: v['aws-endpoint'] ?? drillFile?.aws?.endpoint ?? 'http://localhost:4566',
        region: v.region ?? drillFile?.aws?.region ?? 'us-east-1',
        services,
      };
  const allow = { contexts: v['allow-context'] ?? [], awsEndpoints: v['allow-endpoint'] ?? [] };
  // The local-only guard judges host names by the addresses they resolve to: resolve them before any write.
  await primeHostLocality([...kubeConfig.getClusters().map((c) => c.server), endpoint?.url]);

  if (v.cleanup) {
    const kube = new KubeRawClient(kubeConfig, context);
    // Cleaning up deletes: only on local targets, like every other write.
    try {
      assertKubeWritable(kube.contextName, kube.server, allow);
      if (endpoint) for (const url of endpointUrls(endpoint)) assertAwsWritable(url, allow);
    } catch (error) {
      process.stderr.write(`drydock drill: ${describeError(error)}\n`);
      return DrillExit.refused;
    }
    const aws = endpoint ? createAwsClients(endpoint) : undefined;
    try {
      const r = await cleanupLeftovers({
        drillsDir: drillsDirOf(workspaceDir),
        kube,
        aws,
        logger,
        selfRuns: new Set(),
      });
      process.stdout.write(
        v.json
          ? JSON.stringify(r, null, 2) + '\n'
          : `Removed ${r.removed.length} leftover(s)${r.removed.length ? `: ${r.removed.join(', ')}` : ''}\n`,
      );
      for (const e of r.errors) process.stderr.write(`drydock drill: ${e}\n`);
      return r.errors.length ? DrillExit.failed : DrillExit.passed;
    } finally {
      aws?.destroy();
    }
  }

  const controller = new AbortController();
  // One drill sends many requests with this signal; each adds a listener while it runs.
  setMaxListeners(0, controller.signal);
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`drydock drill: ${sig}: cancelling, cleaning up the drill target…\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const hooks = { signal: controller.signal, onProgress: progressPrinter() };
  const runs = new DrillRuns();
  const common = {
    workspaceDir,
    kube: { kubeConfig, context },
    aws: endpoint ? { endpoint } : undefined,
    readyTimeoutMs:
      readyTimeoutMs ?? (drillFile?.readyTimeoutSeconds ? drillFile.readyTimeoutSeconds * 1000 : undefined),
    keepOnFailure: v['keep-on-failure'] ?? drillFile?.keepOnFailure,
    allow,
    ...(v['allow-cluster-scoped'] ? { allowBeyondNamespaces: true } : {}),
    adapt,
    reportFile: v.report ? resolve(v.report) : undefined,
    logger,
    // The report is out when the checks end; the target is removed after it (awaited below before exiting).
    runs,
    backgroundCleanup: true,
  };
  let report: DrillReport;
  let opened: Awaited<ReturnType<typeof resolveRecoveryPoint>> | undefined;
  try {
    // Read before the backup is downloaded: a snapshot without queues or tables is a usage error up front.
    const knownAwsSettings = v['aws-from']
      ? await knownAwsSettingsOf(resolve(v['aws-from']), controller.signal)
      : undefined;
    if (recoveryPoint) {
      // A Velero backup (s3://…/backups/<name>, a backup folder or tarball) is validated and opened first.
      opened = await resolveRecoveryPoint(recoveryPoint, {
        keySource: await secretKeyFromEnv(),
        toolVersion: version,
        s3: { endpoint: v['aws-endpoint'], region: v.region },
        signal: controller.signal,
      });
      if (opened.velero) process.stderr.write(describeVeleroBackup(opened.velero).join('\n') + '\n');
    }
    report = recoveryPoint
      ? await runDrill(
          {
            ...common,
            knownAwsSettings,
            recoveryPoint: opened!.path,
            recoveryPointLabel: opened!.label,
            keySource: opened!.keySource,
            checks: drillFile?.checks,
          },
          hooks,
        )
      : await snapshotAndDrill({ ...common, drillFile: drillFile!, toolVersion: version }, hooks);
  } catch (error) {
    process.stderr.write(`drydock drill: ${describeError(error)}\n`);
    return DrydockError.is(error, 'not-local')
      ? DrillExit.refused
      : DrydockError.is(error, 'invalid-input')
        ? DrillExit.usage
        : DrillExit.failed;
  } finally {
    await opened?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (v.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(renderDrillMarkdown(report));
  const failedChecks = report.checks.filter((c) => !c.passed).length;
  process.stderr.write(
    `drydock drill: ${report.status.toUpperCase()} in ${formatMs(report.recoveryTimeMs)} (${report.counts.passed}/${report.counts.checks} checks passed` +
      `${failedChecks ? `, ${failedChecks} failed` : ''}, ${report.counts.failingGaps} failing gap(s)); report ${report.files?.markdown ?? '(not written)'}\n`,
  );
  if (report.error) process.stderr.write(`drydock drill: ${report.error}\n`);
  await finishCleanup(report, runs);
  return report.status === 'passed' ? DrillExit.passed : DrillExit.failed;
}

/** Waits for the target's removal that the drill left running after its report, and says how it ended. */
async function finishCleanup(report: DrillReport, runs: DrillRuns): Promise<void> {
  if (!report.cleanup.inBackground) return;
  process.stderr.write('drydock drill: removing the drill target…\n');
  await runs.settled();
  const took = report.phases.find((p) => p.phase === 'cleanup')?.durationMs;
  process.stderr.write(
    report.cleanup.done
      ? `drydock drill: drill target removed${took === undefined ? '' : ` in ${formatMs(took)}`}\n`
      : `drydock drill: cleanup incomplete (${report.cleanup.errors.join('; ')}); the next drill or \`drydock drill --cleanup\` removes what is left\n`,
  );
}

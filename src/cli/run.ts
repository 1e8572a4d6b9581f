import { version } from '../../package.json';
import { runSnapshotCommand, snapshotUsage } from './snapshotCommands';
import { drillUsage, runDrillCommand } from './drillCommand';
import { runHooksCommand } from './hooksCommand';
import { runVeleroCommand, veleroUsage } from './veleroCommand';

/** Exit codes: 0 success, 1 failure, 2 usage error; snapshot/restore add 3 partial, 4 invalid snapshot, 5 refused by the guard. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

const usage = `Usage: drydock <command> [options]

Commands:
  version              print the version
  help                 show this help
  snapshot create|list|inspect|diff|keygen   snapshots (below)
  restore <snapshot>   restore a snapshot (below)
  drill <recovery point> | --config FILE   restore drill (below)
  hooks install        git pre-push hook that runs the drill
  velero list <location>   Velero backups in a backup storage location (below)
  snapshot push|pull   publish a snapshot to / fetch one from a Velero backup storage location (below)

${snapshotUsage}
${drillUsage}
${veleroUsage}`;

export async function runCli(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'version':
    case '--version':
      process.stdout.write(`${version}\n`);
      return ExitCode.ok;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(usage);
      return ExitCode.ok;
    case 'snapshot':
      // Publishing to and fetching from a Velero backup storage location.
      if (argv[1] === 'push' || argv[1] === 'pull')
        return runVeleroCommand(['push' === argv[1] ? 'push' : 'pull', ...argv.slice(2)]);
      return runSnapshotCommand(command, argv.slice(1));
    case 'restore':
      return runSnapshotCommand(command, argv.slice(1));
    case 'drill':
      return runDrillCommand(argv.slice(1));
    case 'hooks':
      return runHooksCommand(argv.slice(1));
    case 'velero':
      return runVeleroCommand(argv.slice(1));
    default:
      process.stderr.write(`drydock: unknown command "${command}"\n${usage}`);
      return ExitCode.usage;
  }
}

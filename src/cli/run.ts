import { version } from '../../package.json';

/** Exit codes: 0 success, 1 failure, 2 usage error. Further codes are added by commands. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

const usage = `Usage: drydock <command> [options]

Commands:
  version              print the version
  help                 show this help
`;

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
    default:
      process.stderr.write(`drydock: unknown command "${command}"\n${usage}`);
      return ExitCode.usage;
  }
}

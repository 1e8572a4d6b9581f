/** Where the engine writes what it does. The VS Code layer injects its "Drydock" log channel. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** A logger that writes to stderr (the CLI's), never stdout, so `--json` output stays clean. */
export function stderrLogger(verbose = false): Logger {
  const write = (level: string, message: string | Error, args: unknown[]) => {
    const text = message instanceof Error ? message.message : message;
    const extra = args.length ? ' ' + args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : '';
    process.stderr.write(`[${level}] ${text}${extra}\n`);
  };
  return {
    debug: (m, ...a) => verbose && write('debug', m, a),
    info: (m, ...a) => verbose && write('info', m, a),
    warn: (m, ...a) => write('warn', m, a),
    error: (m, ...a) => write('error', m, a),
  };
}

/** A logger that drops everything (for tests that do not look at logs). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * How long Drydock waits for a server before it counts as not answering. One bound for every AWS and
 * Kubernetes request (a paused emulator or a frozen API server must end an operation, never hang it).
 * `DRYDOCK_IO_TIMEOUT_MS` overrides the default (the fault-injection tests use a few seconds);
 * `DRYDOCK_CONNECT_TIMEOUT_MS` the time to establish a connection.
 */
export interface IoTimeouts {
  /** Connection established within this many ms. */
  connectMs: number;
  /** An answer (headers, then each chunk of the body) within this many ms. */
  requestMs: number;
}

const DEFAULT_REQUEST_MS = 30_000;
const DEFAULT_CONNECT_MS = 10_000;

function positive(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function ioTimeouts(env: NodeJS.ProcessEnv = process.env): IoTimeouts {
  const requestMs = positive(env.DRYDOCK_IO_TIMEOUT_MS) ?? DEFAULT_REQUEST_MS;
  const connectMs = positive(env.DRYDOCK_CONNECT_TIMEOUT_MS) ?? Math.min(DEFAULT_CONNECT_MS, requestMs);
  return { connectMs, requestMs };
}

/** "30 s", "1.5 s": how a bound reads in an error message. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

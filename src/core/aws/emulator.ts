import { DrydockError } from '../errors';

/** What answers at an endpoint. */
export type EmulatorInfo =
  | {
      kind: 'localstack';
      version?: string;
      edition?: string;
      /** true/false when LocalStack reports `is_license_activated`, undefined when it does not say. */
      licenseActivated?: boolean;
      /** Services and their state, from `/_localstack/health`. */
      services: Record<string, string>;
    }
  | { kind: 'moto' }
  | { kind: 'aws-compatible' };

const PROBE_TIMEOUT_MS = 2500;

/** fetch with a timeout, joined with the caller's signal. */
async function probe(url: string, signal?: AbortSignal): Promise<Response | undefined> {
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    return await fetch(url, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    if (signal?.aborted) throw new DrydockError('cancelled', 'Cancelled');
    throw error;
  }
}

async function jsonOf(res: Response | undefined): Promise<Record<string, unknown> | undefined> {
  if (!res || !res.ok) return undefined;
  try {
    const body: unknown = await res.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * Finds out which emulator serves `endpointUrl`: LocalStack (`/_localstack/health` and `/_localstack/info`),
 * moto (`/moto-api/config`, a cheap JSON endpoint; `/moto-api/data.json` would dump all state), else a
 * generic AWS-compatible endpoint. Throws DrydockError('unreachable') when nothing answers at all.
 */
export async function detectEmulator(endpointUrl: string, signal?: AbortSignal): Promise<EmulatorInfo> {
  const base = endpointUrl.replace(/\/+$/, '');
  let health: Response | undefined;
  try {
    health = await probe(`${base}/_localstack/health`, signal);
  } catch (error) {
    if (DrydockError.is(error, 'cancelled')) throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new DrydockError('unreachable', `Nothing answers at ${base} (${cause}). Is the emulator running?`, {
      cause: error,
    });
  }
  const healthJson = await jsonOf(health);
  if (healthJson && (healthJson.services !== undefined || healthJson.version !== undefined)) {
    const info = await jsonOf(await probe(`${base}/_localstack/info`, signal).catch(() => undefined));
    const services: Record<string, string> = {};
    if (healthJson.services && typeof healthJson.services === 'object') {
      for (const [k, v] of Object.entries(healthJson.services as Record<string, unknown>))
        if (typeof v === 'string') services[k] = v;
    }
    const license = info?.is_license_activated;
    return {
      kind: 'localstack',
      version: str(info?.version) ?? str(healthJson.version),
      edition: str(info?.edition) ?? str(healthJson.edition),
      licenseActivated: typeof license === 'boolean' ? license : undefined,
      services,
    };
  }
  const motoConfig = await jsonOf(await probe(`${base}/moto-api/config`, signal).catch(() => undefined));
  if (motoConfig && ('batch' in motoConfig || 'lambda' in motoConfig)) return { kind: 'moto' };
  return { kind: 'aws-compatible' };
}

/** One line for a tree description: "LocalStack 4.14.0 community", "moto", "AWS-compatible". */
export function describeEmulator(info: EmulatorInfo): string {
  switch (info.kind) {
    case 'localstack': {
      const parts = ['LocalStack', info.version, info.edition].filter(Boolean);
      // The community edition needs no license: `is_license_activated: false` is only news for Pro.
      if (info.licenseActivated === false && info.edition !== 'community') parts.push('(no license)');
      return parts.join(' ');
    }
    case 'moto':
      return 'moto';
    case 'aws-compatible':
      return 'AWS-compatible';
  }
}

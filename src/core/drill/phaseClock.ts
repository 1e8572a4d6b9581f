import type { KubeConfig } from '../kube/clientNode';
import { KubeRawClient, type HttpMethod, type RequestOptions } from '../kube/rawClient';
import { createAwsClients, type AwsClients, type AwsEndpoint } from '../aws/clients';
import type { DrillPhase, PhaseTiming } from './drillReport';

/**
 * Times the drill's phases. The engine's restore is one call that imports AWS data and then applies
 * Kubernetes objects; the clock tells the two apart by the first request each client sends.
 */
export class PhaseClock {
  readonly phases: PhaseTiming[] = [];
  private firstAws?: number;
  private firstKube?: number;
  private watching = false;

  /** Times `fn` as one phase (recorded even when it throws). */
  async time<T>(phase: PhaseTiming['phase'], fn: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await fn();
    } finally {
      this.record(phase, start, Date.now());
    }
  }

  record(phase: PhaseTiming['phase'], start: number, end: number): void {
    if (end < start) return;
    const existing = this.phases.find((p) => p.phase === phase);
    if (existing) existing.durationMs += end - start;
    else this.phases.push({ phase, startedAt: new Date(start).toISOString(), durationMs: end - start });
  }

  /** Starts watching for the restore's first AWS and Kubernetes requests. */
  watchRestore(): void {
    this.watching = true;
    this.firstAws = this.firstKube = undefined;
  }

  onAwsRequest(): void {
    if (this.watching && this.firstAws === undefined) this.firstAws = Date.now();
  }

  onKubeRequest(): void {
    if (this.watching && this.firstKube === undefined) this.firstKube = Date.now();
  }

  /** Splits the restore call [start, end] into validate → AWS import → Kubernetes apply. */
  splitRestore(start: number, end: number): void {
    this.watching = false;
    const aws = this.firstAws;
    const kube = this.firstKube ?? end;
    const validateEnd = Math.min(aws ?? kube, kube);
    this.record('validate', start, validateEnd);
    if (aws !== undefined) this.record('aws-import', aws, kube);
    this.record('kube-apply', kube, end);
  }

  totalOf(phases: readonly DrillPhase[]): number {
    return this.phases.filter((p) => phases.includes(p.phase as DrillPhase)).reduce((s, p) => s + p.durationMs, 0);
  }
}

/** A raw client that tells the clock about each request. */
export class TimedKubeClient extends KubeRawClient {
  constructor(
    kc: KubeConfig,
    contextName: string | undefined,
    private readonly clock: PhaseClock,
  ) {
    super(kc, contextName);
  }

  override request<T = unknown>(method: HttpMethod, path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    this.clock.onKubeRequest();
    return super.request<T>(method, path, body, opts);
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; name: string },
    ): void;
  };
}

/** AWS clients for the drill whose every request is seen by the clock. */
export function timedAwsClients(endpoint: AwsEndpoint, clock: PhaseClock): AwsClients {
  const clients = createAwsClients(endpoint);
  for (const c of [clients.sqs, clients.dynamodb, clients.s3] as unknown as MiddlewareClient[]) {
    c.middlewareStack.add(
      (next) => async (args) => {
        clock.onAwsRequest();
        return next(args);
      },
      { step: 'initialize', name: 'drydockDrillPhaseClock' },
    );
  }
  return clients;
}

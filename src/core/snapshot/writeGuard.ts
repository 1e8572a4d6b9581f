import { DrydockError } from '../errors';
import { contextLocality, endpointLocality, type LocalReason } from '../guard/local';

/** The user's explicit allow entries for targets that are not local. */
export interface WriteAllowList {
  contexts?: readonly string[];
  awsEndpoints?: readonly string[];
}

/**
 * Refuses (DrydockError 'not-local') to write into a kube context that is not local: its server must be
 * this machine by address (a host name by what it resolved to, see `primeHostLocality`), whatever the
 * context is called. Called before the first request of a restore, so a refused target receives nothing at all.
 */
export function assertKubeWritable(
  contextName: string,
  server: string | undefined,
  allow: WriteAllowList = {},
): LocalReason {
  const { reason, why } = contextLocality(contextName, server, allow.contexts ?? []);
  if (!reason) {
    throw new DrydockError(
      'not-local',
      `Refusing to write to context "${contextName}" (${server ?? 'no server'}): it is not a local cluster (${why}). ` +
        'Drydock writes only to servers on this machine (loopback or an address of one of its interfaces); add the context to the allow list to override.',
    );
  }
  return reason;
}

/** Refuses (DrydockError 'not-local') to write to an AWS endpoint that is not on this machine. */
export function assertAwsWritable(endpoint: string | undefined, allow: WriteAllowList = {}): LocalReason {
  if (!endpoint) {
    throw new DrydockError(
      'not-local',
      'Refusing to write to AWS without an explicit local endpoint: Drydock never writes to real AWS.',
    );
  }
  const { reason, why } = endpointLocality(endpoint, allow.awsEndpoints ?? []);
  if (!reason) {
    throw new DrydockError(
      'not-local',
      `Refusing to write to AWS endpoint ${endpoint}: it is not on this machine (${why}). Add it to the allow list to override.`,
    );
  }
  return reason;
}

import { DrydockError } from '../errors';
import { localContextReason, localEndpointReason, type LocalReason } from '../guard/local';

/** The user's explicit allow entries for targets that are not local. */
export interface WriteAllowList {
  contexts?: readonly string[];
  awsEndpoints?: readonly string[];
}

/**
 * Refuses (DrydockError 'not-local') to write into a kube context that is not local. Called before the
 * first request of a restore, so a refused target receives nothing at all.
 */
export function assertKubeWritable(contextName: string, server: string | undefined, allow: WriteAllowList = {}): LocalReason {
  const reason = localContextReason(contextName, server, allow.contexts ?? []);
  if (!reason) {
    throw new DrydockError(
      'not-local',
      `Refusing to write to context "${contextName}" (${server ?? 'no server'}): it is not a local cluster. ` +
        'Drydock restores only into loopback servers and local-tool contexts (kind-, k3d-, minikube…); add the context to the allow list to override.',
    );
  }
  return reason;
}

/** Refuses (DrydockError 'not-local') to write to an AWS endpoint that is not on this machine. */
export function assertAwsWritable(endpoint: string | undefined, allow: WriteAllowList = {}): LocalReason {
  if (!endpoint) {
    throw new DrydockError('not-local', 'Refusing to write to AWS without an explicit local endpoint: Drydock never writes to real AWS.');
  }
  const reason = localEndpointReason(endpoint, allow.awsEndpoints ?? []);
  if (!reason) {
    throw new DrydockError('not-local', `Refusing to write to AWS endpoint ${endpoint}: it is not a loopback address. Add it to the allow list to override.`);
  }
  return reason;
}

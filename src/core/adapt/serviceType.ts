import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import type { AdaptContext, Adaptation } from './adaptation';
import { subjectOf } from './podSpecs';

/** Fields only a LoadBalancer Service may carry: the API refuses them on a NodePort Service. */
const LOAD_BALANCER_ONLY = [
  'loadBalancerClass',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'allocateLoadBalancerNodePorts',
  'healthCheckNodePort',
];

/**
 * A LoadBalancer Service becomes a NodePort Service: a laptop cluster has no cloud load balancer (its external
 * address would stay pending), and NodePort keeps what a LoadBalancer is for — reachable from outside the
 * cluster, on every node's address — with its cluster IP and selector unchanged.
 */
export function adaptLoadBalancer(obj: KubeObject, groupResource: string, _ctx: AdaptContext): Adaptation[] {
  if (!isRecord(obj.spec) || obj.spec.type !== 'LoadBalancer') return [];
  const spec = obj.spec;
  const dropped = LOAD_BALANCER_ONLY.filter((f) => spec[f] !== undefined);
  for (const f of dropped) delete spec[f];
  spec.type = 'NodePort';
  return [
    {
      kind: 'service-type',
      subject: subjectOf(obj, groupResource),
      change: `type LoadBalancer → NodePort: no cloud load balancer here (its address would stay pending); NodePort keeps it reachable from outside the cluster on a node port${dropped.length ? `; removed ${dropped.join(', ')}` : ''}`,
    },
  ];
}

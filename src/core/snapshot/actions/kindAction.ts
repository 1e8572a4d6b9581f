import type { ObjectAdapter } from '../../adapt/adaptation';
import type { KubeObject } from '../kubeObject';
import type { NamespaceMap } from '../sanitize/namespaceMapping';

/** What a skip rule may need to know beyond the object itself. */
export interface SkipContext {
  /** Names of the Services in the object's namespace that have a selector (their Endpoints belong to the endpoints controller). */
  servicesWithSelector?: ReadonlySet<string>;
}

export interface SanitizeContext {
  namespaceMap: NamespaceMap;
}

/** One thing that must become ready in a drill, and what it is waiting for while it is not. */
export interface ReadinessVerdict {
  groupResource: string;
  name: string;
  ready: boolean;
  /** How it became ready (e.g. "2/2 available"), or what is missing. */
  detail: string;
  /** True when the check does not apply (e.g. a claim whose class has no provisioner). */
  notApplicable?: boolean;
}

/**
 * What a readiness verdict may look at besides the object: the namespace's EndpointSlices and Pods, and which claims
 * must bind.
 */
export interface ReadinessContext {
  slices: readonly KubeObject[];
  pods: readonly KubeObject[];
  /** Undefined when a claim must bind; else why binding is not checked. */
  bindable: (claim: KubeObject) => string | undefined;
}

/**
 * What Drydock does for one group-resource (Velero's RestoreItemAction: `AppliesTo` + `Execute`), in one
 * module per kind under `actions/`, found through `registry.ts` by group-resource — never by `kind` alone,
 * so a Knative `Service` (serving.knative.dev) is not handled as a core Service.
 */
export interface KindAction {
  /** `services`, `deployments.apps`, `jobs.batch`, … */
  groupResource: string;
  /** The API group ("" for core) and kind of the objects, to find the action for an object read from a file. */
  group: string;
  kind: string;
  /** Capture: every item of this type is skipped, for this reason (checked before anything else). */
  skipAll?: string;
  /** Capture: why this item must not be restored as such (it is recorded as skipped), or undefined to keep it. */
  skipReason?(obj: KubeObject, ctx: SkipContext): string | undefined;
  /** Restore: kind-specific sanitising, in place, after the generic steps (server metadata, status, namespace). */
  sanitize?(obj: KubeObject, ctx: SanitizeContext): void;
  /**
   * Restore: production → local adaptations of this kind (a StorageClass missing here, a LoadBalancer, a node
   * pool no local node belongs to…), in place after sanitising and reference rewriting; each one reported.
   * Not called with `--no-adapt`.
   */
  adapt?: ObjectAdapter;
  /** Restore with `--existing update`: the object to PUT, keeping what the live object owns. */
  forUpdate?(next: KubeObject, live: KubeObject): void;
  /** Drill readiness: the list to read in a namespace, the verdict for one object, and what "ready" is called. */
  readiness?: {
    listPath(namespace: string): string;
    verdict(obj: KubeObject, ctx: ReadinessContext): ReadinessVerdict;
    /** The pod selector, to explain a workload that is not ready by what its pods say. */
    selector?(obj: KubeObject): unknown;
    /** "Available", "has endpoints", … (check names read `<group-resource>/<name> <label>`). */
    label: string;
  };
}

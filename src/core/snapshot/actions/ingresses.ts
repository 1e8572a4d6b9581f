import { isRecord, metadataOf, type KubeObject } from '../kubeObject';
import type { AdaptContext, Adaptation } from '../../adapt/adaptation';
import { subjectOf } from '../../adapt/podSpecs';
import type { KindAction } from './kindAction';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * An Ingress whose class this cluster does not have (`alb`, `gce`, `azure-application-gateway`) is given the
 * local default IngressClass; a class-less one is reported with who serves it here. Without any class here
 * nothing serves an Ingress: reported as a gap (the object is still restored).
 */
export function adaptIngressClass(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  if (!isRecord(obj.spec)) return [];
  const spec = obj.spec;
  const meta = metadataOf(obj);
  const subject = subjectOf(obj, groupResource);
  const { ingressClasses, defaultIngressClass } = ctx.cluster;
  const fromField = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : undefined;
  const fromAnnotation = meta.annotations?.[CLASS_ANNOTATION];
  const cls = fromField ?? fromAnnotation;
  if (cls !== undefined && ingressClasses.includes(cls)) return [];
  if (cls === undefined)
    return [
      defaultIngressClass
        ? {
            kind: 'ingress-class',
            subject,
            change: `no ingress class: the local default IngressClass ${defaultIngressClass} serves it`,
          }
        : {
            kind: 'ingress-class',
            subject,
            gap: true,
            change: 'no ingress class, and no default IngressClass here: no ingress controller serves it',
          },
    ];
  if (!defaultIngressClass)
    return [
      {
        kind: 'ingress-class',
        subject,
        gap: true,
        change: `ingress class ${cls}: no IngressClass ${cls} here and no default class; no ingress controller serves it${ingressClasses.length ? ` (classes here: ${ingressClasses.join(', ')})` : ''}`,
      },
    ];
  if (fromField !== undefined) spec.ingressClassName = defaultIngressClass;
  if (fromAnnotation !== undefined) {
    delete meta.annotations![CLASS_ANNOTATION];
    spec.ingressClassName = defaultIngressClass;
  }
  return [
    {
      kind: 'ingress-class',
      subject,
      change: `ingress class ${cls} → ${defaultIngressClass} (no IngressClass ${cls} here; ${defaultIngressClass} is the local default)`,
    },
  ];
}

export const ingresses: KindAction = {
  groupResource: 'ingresses.networking.k8s.io',
  group: 'networking.k8s.io',
  kind: 'Ingress',
  adapt: adaptIngressClass,
};

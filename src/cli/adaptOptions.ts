import type { AdaptMode } from '../core/adapt/prepareAdaptation';
import { parseStorageClassMap } from '../core/adapt/prepareAdaptation';
import type { Adaptation } from '../core/adapt/adaptation';

/** The restore and drill options for production → local adaptations. */
export const adaptUsage = `--no-adapt                 restore exactly as Velero would (no production → local adaptation); by default a
                                 Velero backup, or a recovery point taken on another cluster, is adapted (--adapt: always)
      --storage-class-map OLD=NEW[,…]   StorageClasses missing here: map OLD to NEW (default: the local default class)`;

/** `--no-adapt` / `--adapt` / `--storage-class-map`; throws (a usage error) on a bad map or both switches. */
export function adaptOptions(v: { 'no-adapt'?: boolean; adapt?: boolean; 'storage-class-map'?: string[] }): {
  mode: AdaptMode;
  storageClassMap: Map<string, string>;
} {
  if (v['no-adapt'] && v.adapt) throw new Error('give --adapt or --no-adapt, not both');
  const storageClassMap = parseStorageClassMap(v['storage-class-map'] ?? []);
  if (v['no-adapt'] && storageClassMap.size)
    throw new Error('--storage-class-map is an adaptation: not with --no-adapt');
  return { mode: v['no-adapt'] ? 'off' : v.adapt ? 'on' : 'auto', storageClassMap };
}

/** The adaptations of a restore, for the terminal. */
export function formatAdaptations(adapted: { reason: string; adaptations: Adaptation[] } | undefined): string[] {
  if (!adapted) return [];
  const { reason, adaptations } = adapted;
  const applied = adaptations.filter((a) => !a.gap);
  const gaps = adaptations.filter((a) => a.gap);
  return [
    `Adapted for this cluster (${reason}; --no-adapt restores exactly as Velero would): ${applied.length} change(s), ${gaps.length} could not be adapted`,
    ...applied.map((a) => `  adapted   ${a.kind} ${a.subject}: ${a.change}`),
    ...gaps.map((a) => `  NOT here  ${a.kind} ${a.subject}: ${a.change}`),
  ];
}

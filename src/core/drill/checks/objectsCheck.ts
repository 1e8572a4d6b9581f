import { KubeApiError } from '../../kube/kubeApiError';
import { resourcePath } from '../../kube/discovery';
import { describeError } from '../../errors';
import { jsonDiff } from '../../snapshot/jsonDiff';
import { itemId, sanitizeForRestore, sourceItemId } from '../../snapshot';
import type { KubeObject } from '../../snapshot/kubeObject';
import type { PlannedItem } from '../../snapshot';
import { isRecord } from '../../snapshot/kubeObject';
import { mapReferenceStrings } from '../../snapshot/references';
import { throwIfAborted } from '../../snapshot/progress';
import { strippedFieldGap, strippedFieldPaths } from '../gaps';
import { DRILL_HOST_ANNOTATION, DRILL_LABEL, DRILL_PID_ANNOTATION } from '../scratchNames';
import type { CheckOutcome, DrillTarget } from '../drillTarget';
import { adaptObject } from '../../adapt/registry';

/** Annotations and labels controllers or the drill itself set on restored objects: not differences. */
const IGNORED_ANNOTATIONS = ['deployment.kubernetes.io/revision', DRILL_PID_ANNOTATION, DRILL_HOST_ANNOTATION];
const IGNORED_LABELS = [DRILL_LABEL];

export function withoutIgnored(obj: KubeObject): KubeObject {
  const meta = isRecord(obj.metadata) ? obj.metadata : undefined;
  for (const [field, keys] of [
    ['annotations', IGNORED_ANNOTATIONS],
    ['labels', IGNORED_LABELS],
  ] as const) {
    const map = meta?.[field];
    if (!isRecord(map)) continue;
    for (const k of keys) delete map[k];
    if (Object.keys(map).length === 0) delete meta![field];
  }
  return obj;
}

/** How many live objects the check reads at once. */
const WINDOW = 32;

/** The live object of a planned item, or why it cannot be compared. */
async function readLive(t: DrillTarget, item: PlannedItem): Promise<{ live: KubeObject } | { problem: string }> {
  try {
    const live = await t.kube.request<KubeObject>(
      'GET',
      resourcePath(item.type, item.targetNamespace, item.name),
      undefined,
      { signal: t.signal },
    );
    return { live };
  } catch (error) {
    if (t.signal?.aborted) throw error;
    return {
      problem:
        KubeApiError.is(error) && error.statusCode === 404
          ? 'missing in the drill target'
          : `cannot be read: ${describeError(error)}`,
    };
  }
}

/**
 * Every Kubernetes item of the recovery point must be in the target and equal to the snapshot after both are
 * sanitised (references rewritten to the drill's AWS names). One check per resource type; a gap per item
 * that is missing or differs, and an informational gap per item whose fields sanitising stripped.
 */
export async function checkObjects(t: DrillTarget): Promise<CheckOutcome> {
  const out: CheckOutcome = { checks: [], gaps: [] };
  const perType = new Map<string, { total: number; ok: number; problems: string[] }>();
  // The live objects are read WINDOW at a time, all of a window at once, and compared in the plan's order: one
  // request after another made this check most of a large drill's time; a window keeps memory bounded.
  for (let start = 0; start < t.plan.length; start += WINDOW) {
    throwIfAborted(t.signal);
    const window = t.plan.slice(start, start + WINDOW);
    const lives = await Promise.all(
      window.map(async (item) => (t.failedIds.has(itemId(item)) ? undefined : readLive(t, item))),
    );
    for (const [i, item] of window.entries()) {
      const stats = perType.get(item.groupResource) ?? { total: 0, ok: 0, problems: [] };
      perType.set(item.groupResource, stats);
      stats.total++;
      const subject = sourceItemId(item);
      const raw = await t.reader.readItem(item.path);
      const expected = sanitizeForRestore(raw, { namespaceMap: t.namespaceMap }, item.groupResource);
      const stripped = strippedFieldGap(subject, strippedFieldPaths(raw, expected));
      if (stripped) out.gaps.push(stripped);
      mapReferenceStrings(expected, t.rewrite);
      // The restore adapted it for this cluster (each change is in the report): expect the adapted object.
      if (t.adapt) adaptObject(expected, item.groupResource, t.adapt);
      const got = lives[i];
      if (!got) {
        stats.problems.push(`${item.name}: not created`);
        continue;
      }
      if ('problem' in got) {
        stats.problems.push(`${item.name}: ${got.problem}`);
        out.gaps.push({ kind: 'object-mismatch', subject, message: got.problem });
        continue;
      }
      const actual = withoutIgnored(sanitizeForRestore(got.live, { namespaceMap: new Map() }, item.groupResource));
      const diff = jsonDiff(withoutIgnored(expected), actual);
      if (diff.length === 0) {
        stats.ok++;
        continue;
      }
      const shown = diff.slice(0, 8).join(', ') + (diff.length > 8 ? `, … (${diff.length} differences)` : '');
      stats.problems.push(`${item.name}: differs`);
      out.gaps.push({
        kind: 'object-mismatch',
        subject,
        message: `differs from the recovery point (+ only in the recovery point, - only in the target, ~ changed): ${shown}`,
      });
    }
  }
  for (const [gr, s] of perType) {
    out.checks.push({
      category: 'objects',
      name: `${gr}: ${s.total} object(s) present and equal after sanitising`,
      passed: s.ok === s.total,
      detail: s.ok === s.total ? `${s.ok}/${s.total}` : `${s.ok}/${s.total}; ${s.problems.slice(0, 5).join('; ')}`,
    });
  }
  return out;
}

import { stringify } from 'yaml';

type Json = Record<string, unknown>;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ObjectYamlOptions {
  /** Show a Secret's data as stored; otherwise each value is replaced by its size. */
  revealSecrets?: boolean;
  /** Keep metadata.managedFields (kubectl hides them by default, so do we). */
  showManagedFields?: boolean;
}

/**
 * An object as YAML for a person to read: managedFields hidden, and a Secret's values (and the
 * last-applied annotation, which repeats them) masked unless `revealSecrets`. The input is not changed.
 */
export function objectToYaml(obj: unknown, opts: ObjectYamlOptions = {}): string {
  let view = structuredClone(obj) as Json;
  const header: string[] = [];
  if (!opts.showManagedFields) {
    const metadata = view.metadata as Json | undefined;
    if (metadata && 'managedFields' in metadata) delete metadata.managedFields;
  }
  if (view.kind === 'Secret' && !opts.revealSecrets) {
    const masked = maskSecret(view);
    view = masked.secret;
    if (masked.count) header.push('# Secret values are hidden. Run "Drydock: Reveal Secret Data" to show them.');
  }
  return header.map((l) => `${l}\n`).join('') + stringify(view, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A copy of a Secret with every value of `data` and `stringData` (and the last-applied annotation) replaced by a placeholder. */
export function maskSecret(secret: Json): { secret: Json; count: number } {
  const copy = structuredClone(secret);
  let count = 0;
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field];
    if (!values || typeof values !== 'object') continue;
    for (const [key, value] of Object.entries(values as Json)) {
      const bytes =
        typeof value === 'string'
          ? field === 'data'
            ? Buffer.from(value, 'base64').length
            : Buffer.byteLength(value)
          : 0;
      (values as Json)[key] = `<hidden: ${bytes} bytes>`;
      count++;
    }
  }
  const annotations = (copy.metadata as Json | undefined)?.annotations as Json | undefined;
  if (annotations && LAST_APPLIED in annotations) {
    annotations[LAST_APPLIED] = '<hidden: repeats the secret data>';
    count++;
  }
  return { secret: copy, count };
}

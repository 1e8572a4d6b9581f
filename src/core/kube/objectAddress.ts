import { DrydockError } from '../errors';

/** Which object, in which context, and which view of it. Encoded into virtual document paths. */
export interface ObjectAddress {
  view: 'yaml' | 'events';
  context: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  group: string;
  version: string;
  resource: string;
  name: string;
}

const CORE = '_core';
const CLUSTER = '_cluster';
const EXTENSION = { yaml: '.yaml', events: '.events' } as const;

/**
 * `/yaml/<context>/<namespace|_cluster>/<group|_core>/<version>/<resource>/<name>.yaml` — every
 * segment URI-encoded, so context names with `/` or `:` survive, and the last segment makes a
 * readable editor title. (`_` can be in neither a namespace nor an API group name.)
 */
export function formatObjectPath(a: ObjectAddress): string {
  const segments = [
    a.view,
    a.context,
    a.namespace ?? CLUSTER,
    a.group || CORE,
    a.version,
    a.resource,
    `${a.name}${EXTENSION[a.view]}`,
  ];
  return '/' + segments.map(encodeURIComponent).join('/');
}

/** The inverse of formatObjectPath. */
export function parseObjectPath(path: string): ObjectAddress {
  const segments = path.replace(/^\//, '').split('/').map(decodeURIComponent);
  const [view, context, namespace, group, version, resource, file] = segments;
  if (
    segments.length !== 7 ||
    (view !== 'yaml' && view !== 'events') ||
    context === undefined ||
    namespace === undefined ||
    group === undefined ||
    version === undefined ||
    resource === undefined ||
    file === undefined ||
    !file.endsWith(EXTENSION[view])
  ) {
    throw new DrydockError('invalid-input', `Not a Drydock object address: ${path}`);
  }
  const address: ObjectAddress = {
    view,
    context,
    group: group === CORE ? '' : group,
    version,
    resource,
    name: file.slice(0, -EXTENSION[view].length),
  };
  if (namespace !== CLUSTER) address.namespace = namespace;
  return address;
}

/** The API path of the addressed object. */
export function objectApiPath(a: Pick<ObjectAddress, 'namespace' | 'group' | 'version' | 'resource' | 'name'>): string {
  const base = a.group ? `/apis/${a.group}/${a.version}` : `/api/${a.version}`;
  const ns = a.namespace ? `/namespaces/${encodeURIComponent(a.namespace)}` : '';
  return `${base}${ns}/${a.resource}/${encodeURIComponent(a.name)}`;
}

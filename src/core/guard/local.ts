import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as os from 'node:os';

/**
 * The local-only guard: a Kubernetes context or AWS endpoint is local when its server is this machine —
 * a loopback address (127.0.0.0/8, ::1, and 0.0.0.0 / ::, which k3d writes and which reach this machine),
 * or an address on one of this machine's network interfaces (the bridges of minikube, kind on podman, VMs).
 * A host name counts by what it resolves to — every address must be local — never by its text, and a
 * context's name (kind-…, minikube) counts for nothing: people copy kind kubeconfigs from remote boxes.
 * The user's allow list is the explicit override.
 *
 * Resolution is asynchronous; `primeHostLocality` resolves host names once (cached for a few minutes) so the
 * synchronous checks can use them. A host name that was not resolved is not local (fail closed).
 */

export type LocalReason = 'loopback-server' | 'this-machine' | 'allowed-by-user';

/** Host names that are loopback by definition (RFC 6761 `localhost`), with no lookup. */
function isLocalhostName(h: string): boolean {
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === 'localhost.localstack.cloud' ||
    h.endsWith('.localhost.localstack.cloud')
  );
}

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** True for localhost names and loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x, and the unspecified 0.0.0.0 / ::). */
export function isLoopbackHost(host: string): boolean {
  const h = bare(host);
  if (isLocalhostName(h)) return true;
  if (isIP(h) === 4) return h.startsWith('127.') || h === '0.0.0.0';
  if (isIP(h) === 6)
    return (
      h === '::1' ||
      h === '::' ||
      /^::ffff:127\./.test(h) ||
      /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h) ||
      /^::ffff:0\.0\.0\.0$/.test(h)
    );
  return false;
}

/** The addresses of this machine's network interfaces (container and VM bridges included). */
export function thisMachineAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) out.add(a.address.toLowerCase().replace(/%.*$/, ''));
  }
  return out;
}

/** Why an IP address is this machine, or undefined. */
export function addressLocality(
  address: string,
  interfaces: Set<string> = thisMachineAddresses(),
): LocalReason | undefined {
  const a = bare(address).replace(/%.*$/, '');
  if (isLoopbackHost(a)) return 'loopback-server';
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)?.[1];
  if (interfaces.has(a) || (v4mapped && interfaces.has(v4mapped))) return 'this-machine';
  return undefined;
}

interface Resolved {
  addresses: string[];
  error?: string;
  at: number;
}
const RESOLVED_TTL_MS = 5 * 60_000;
const resolved = new Map<string, Resolved>();

function hostOf(url: string): string | undefined {
  try {
    return bare(new URL(url).hostname) || undefined;
  } catch {
    return undefined;
  }
}

/** Resolves the host names of these URLs (every address), so the synchronous checks can judge them. */
export async function primeHostLocality(
  urls: Iterable<string | undefined>,
  resolve: (host: string) => Promise<string[]> = lookupAll,
): Promise<void> {
  const hosts = new Set<string>();
  for (const url of urls) {
    const host = url ? hostOf(url) : undefined;
    if (host && !isIP(host) && !isLocalhostName(host)) hosts.add(host);
  }
  await Promise.all(
    [...hosts].map(async (host) => {
      try {
        resolved.set(host, { addresses: await resolve(host), at: Date.now() });
      } catch (error) {
        resolved.set(host, {
          addresses: [],
          error: (error as { code?: string }).code ?? (error as Error).message,
          at: Date.now(),
        });
      }
    }),
  );
}

async function lookupAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/** Why a server URL is this machine, and in words why (or why not). */
export function serverLocality(url: string | undefined): { reason: LocalReason | undefined; why: string } {
  if (!url) return { reason: undefined, why: 'no server URL' };
  const host = hostOf(url);
  if (!host) return { reason: undefined, why: `"${url}" is not a URL` };
  if (isLocalhostName(host)) return { reason: 'loopback-server', why: `${host} is this machine (loopback)` };
  if (isIP(host)) {
    const reason = addressLocality(host);
    if (reason === 'loopback-server') return { reason, why: `${host} is a loopback address` };
    if (reason === 'this-machine') return { reason, why: `${host} is an address of this machine` };
    return { reason: undefined, why: `${host} is not an address of this machine` };
  }
  const entry = resolved.get(host);
  if (!entry || Date.now() - entry.at > RESOLVED_TTL_MS)
    return { reason: undefined, why: `${host} has not been resolved` };
  if (!entry.addresses.length)
    return { reason: undefined, why: `${host} does not resolve${entry.error ? ` (${entry.error})` : ''}` };
  const interfaces = thisMachineAddresses();
  const remote = entry.addresses.filter((a) => !addressLocality(a, interfaces));
  if (remote.length) return { reason: undefined, why: `${host} resolves to ${remote.join(', ')}, not this machine` };
  const reason: LocalReason = entry.addresses.every((a) => addressLocality(a, interfaces) === 'loopback-server')
    ? 'loopback-server'
    : 'this-machine';
  return { reason, why: `${host} resolves to ${entry.addresses.join(', ')}: this machine` };
}

/** True when a URL points at this machine by address (loopback literal or localhost name; no lookup). */
export function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url);
  return !!host && isLoopbackHost(host);
}

/**
 * Why a kube context counts as local, or undefined when it does not. `allowed` is the user's explicit
 * allow list of context names. Its name plays no part.
 */
export function localContextReason(
  contextName: string,
  server: string | undefined,
  allowed: readonly string[] = [],
): LocalReason | undefined {
  return contextLocality(contextName, server, allowed).reason;
}

/** The same, with the reason in words (for the explorer's tooltip and the guard's refusal). */
export function contextLocality(
  contextName: string,
  server: string | undefined,
  allowed: readonly string[] = [],
): { reason: LocalReason | undefined; why: string } {
  if (allowed.includes(contextName))
    return { reason: 'allowed-by-user', why: `"${contextName}" is in your allow list` };
  return serverLocality(server);
}

/** Why an AWS endpoint counts as local (writable), or undefined when it does not. */
export function localEndpointReason(endpoint: string, allowed: readonly string[] = []): LocalReason | undefined {
  return endpointLocality(endpoint, allowed).reason;
}

export function endpointLocality(
  endpoint: string,
  allowed: readonly string[] = [],
): { reason: LocalReason | undefined; why: string } {
  if (allowed.includes(endpoint)) return { reason: 'allowed-by-user', why: `${endpoint} is in your allow list` };
  return serverLocality(endpoint);
}

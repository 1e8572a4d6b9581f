import { isIP } from 'node:net';

/** Context names that local cluster tools create (kind-x, k3d-x, minikube, …). */
const LOCAL_CONTEXT_PATTERNS: RegExp[] = [
  /^kind-/,
  /^k3d-/,
  /^minikube$/,
  /^docker-desktop$/,
  /^docker-for-desktop$/,
  /^rancher-desktop$/,
  /^orbstack$/,
  /^drydock-local$/,
];

/** True for localhost names and loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === 'localhost.localstack.cloud' || h.endsWith('.localhost.localstack.cloud')) {
    return true;
  }
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h);
  return false;
}

/** True when a URL points at this machine. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

export type LocalReason = 'loopback-server' | 'local-tool-context' | 'allowed-by-user';

/**
 * Why a kube context counts as local, or undefined when it does not.
 * `allowed` is the user's explicit allow list of context names.
 */
export function localContextReason(contextName: string, server: string | undefined, allowed: readonly string[] = []): LocalReason | undefined {
  if (allowed.includes(contextName)) return 'allowed-by-user';
  if (server && isLoopbackUrl(server)) return 'loopback-server';
  if (LOCAL_CONTEXT_PATTERNS.some((p) => p.test(contextName))) return 'local-tool-context';
  return undefined;
}

/** Why an AWS endpoint counts as local (writable), or undefined when it does not. */
export function localEndpointReason(endpoint: string, allowed: readonly string[] = []): LocalReason | undefined {
  if (allowed.includes(endpoint)) return 'allowed-by-user';
  if (isLoopbackUrl(endpoint)) return 'loopback-server';
  return undefined;
}

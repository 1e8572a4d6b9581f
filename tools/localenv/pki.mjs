// @ts-check
// Certificates, keys, the token file and the kubeconfig of the local control plane (made once, kept across up/down).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { contextName, paths, ports } from './config.mjs';
import { run } from './proc.mjs';

export const pki = {
  caCert: path.join(paths.pki, 'ca.crt'),
  caKey: path.join(paths.pki, 'ca.key'),
  serverCert: path.join(paths.pki, 'apiserver.crt'),
  serverKey: path.join(paths.pki, 'apiserver.key'),
  saKey: path.join(paths.pki, 'sa.key'),
  saPub: path.join(paths.pki, 'sa.pub'),
  tokens: path.join(paths.pki, 'tokens.csv'),
  adminToken: path.join(paths.pki, 'admin.token'),
};

export function apiServerUrl() {
  return `https://127.0.0.1:${ports.apiserver}`;
}

/** Makes the CA, the serving certificate (SAN 127.0.0.1, localhost), the service-account keys and an admin token. */
export function ensurePki() {
  fs.mkdirSync(paths.pki, { recursive: true, mode: 0o700 });
  const openssl = (/** @type {string[]} */ args) => run('openssl', args, { quiet: true });
  if (!fs.existsSync(pki.caCert)) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      pki.caKey,
      '-out',
      pki.caCert,
      '-days',
      '3650',
      '-subj',
      '/CN=drydock-local-ca',
    ]);
  }
  if (!fs.existsSync(pki.serverCert)) {
    const csr = path.join(paths.pki, 'apiserver.csr');
    const ext = path.join(paths.pki, 'apiserver.ext');
    fs.writeFileSync(
      ext,
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      ].join('\n'),
    );
    openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      pki.serverKey,
      '-out',
      csr,
      '-subj',
      '/CN=kube-apiserver',
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      pki.caCert,
      '-CAkey',
      pki.caKey,
      '-CAcreateserial',
      '-out',
      pki.serverCert,
      '-days',
      '3650',
      '-extfile',
      ext,
    ]);
  }
  if (!fs.existsSync(pki.saKey)) {
    openssl(['genrsa', '-out', pki.saKey, '2048']);
    openssl(['rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub]);
  }
  if (!fs.existsSync(pki.adminToken)) {
    const token = randomBytes(24).toString('hex');
    fs.writeFileSync(pki.adminToken, token, { mode: 0o600 });
    fs.writeFileSync(pki.tokens, `${token},drydock-admin,drydock-admin,"system:masters"\n`, { mode: 0o600 });
  }
  writeKubeconfig();
}

/** Writes our own kubeconfig (never the user's): cluster, user and context `drydock-local`. */
function writeKubeconfig() {
  const ca = fs.readFileSync(pki.caCert).toString('base64');
  const token = fs.readFileSync(pki.adminToken, 'utf8').trim();
  const text = `apiVersion: v1
kind: Config
clusters:
- name: ${contextName}
  cluster:
    server: ${apiServerUrl()}
    certificate-authority-data: ${ca}
users:
- name: drydock-admin
  user:
    token: ${token}
contexts:
- name: ${contextName}
  context:
    cluster: ${contextName}
    user: drydock-admin
    namespace: default
current-context: ${contextName}
`;
  fs.writeFileSync(paths.kubeconfig, text, { mode: 0o600 });
}

// @ts-check
// Small helpers to talk to the local control plane from the environment tools (kubectl and /readyz).
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { paths } from './config.mjs';
import { capture, run } from './proc.mjs';
import { apiServerUrl, pki } from './pki.mjs';

export const kubectlPath = () => path.join(paths.kubeBin, 'kubectl');

/** Runs our kubectl against our kubeconfig; returns stdout. @param {string[]} args @param {string} [input] */
export function kubectl(args, input) {
  return capture(kubectlPath(), ['--kubeconfig', paths.kubeconfig, ...args], input === undefined ? {} : { input });
}

/** Like kubectl() but streams output to stderr. @param {string[]} args */
export function kubectlLoud(args) {
  run(kubectlPath(), ['--kubeconfig', paths.kubeconfig, ...args]);
}

/** GETs a path of the API server with our CA and admin token; resolves to [status, body]. @param {string} p */
export function apiGet(p) {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${apiServerUrl()}${p}`,
      {
        ca: fs.readFileSync(pki.caCert),
        headers: { Authorization: `Bearer ${fs.readFileSync(pki.adminToken, 'utf8').trim()}` },
        timeout: 3000,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve([res.statusCode ?? 0, body]));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

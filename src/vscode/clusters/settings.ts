import * as path from 'node:path';
import * as vscode from 'vscode';

/** `drydock.kubeconfig`: paths separated by the platform's delimiter; empty means KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPathsSetting(): string[] {
  const value = vscode.workspace.getConfiguration('drydock').get<string>('kubeconfig', '');
  return value
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** `drydock.extraLocalContexts`: context names the user declares local. */
export function extraLocalContextsSetting(): string[] {
  return vscode.workspace.getConfiguration('drydock').get<string[]>('extraLocalContexts', []);
}

export function affectsClusterSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('drydock.kubeconfig') || e.affectsConfiguration('drydock.extraLocalContexts');
}

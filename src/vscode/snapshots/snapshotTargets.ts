import * as vscode from 'vscode';
import { KubeRawClient } from '../../core/kube/rawClient';
import { loadKubeConfig } from '../../core/kube/kubeconfig';
import { createAwsClients, type AwsClients } from '../../core/aws/clients';
import { discoverEndpoints, endpointLabel } from '../../core/aws/endpoints';
import type { WriteAllowList } from '../../core/snapshot';
import { kubeconfigPathsSetting } from '../clusters/settings';

/** A raw API client for one context of the kubeconfig the Local Clusters view uses. */
export function kubeClientFor(contextName: string): KubeRawClient {
  const paths = kubeconfigPathsSetting();
  return new KubeRawClient(loadKubeConfig(paths.length ? paths : undefined), contextName);
}

/** The AWS endpoint to snapshot from or restore to: the only one, or the one the user picks. */
export async function pickAwsClients(placeHolder: string): Promise<AwsClients | undefined> {
  const config = vscode.workspace.getConfiguration('drydock.aws');
  const endpoints = await discoverEndpoints({
    endpoints: config.get<string[]>('endpoints', ['http://localhost:4566']),
    region: config.get<string>('region', 'us-east-1'),
  });
  const [first] = endpoints;
  if (first === undefined) return undefined;
  if (endpoints.length === 1) return createAwsClients(first);
  const picked = await vscode.window.showQuickPick(
    endpoints.map((e) => ({ label: endpointLabel(e), description: e.region, endpoint: e })),
    { placeHolder },
  );
  return picked && createAwsClients(picked.endpoint);
}

/** For one-click actions: the first AWS endpoint (drydock.aws.endpoints in order, then ~/.aws/config profiles), never a question. */
export async function firstAwsClients(): Promise<AwsClients | undefined> {
  const config = vscode.workspace.getConfiguration('drydock.aws');
  const [first] = await discoverEndpoints({
    endpoints: config.get<string[]>('endpoints', ['http://localhost:4566']),
    region: config.get<string>('region', 'us-east-1'),
  });
  return first && createAwsClients(first);
}

/** The user's explicit allow entries for non-local targets (empty by default). */
export function writeAllowList(): WriteAllowList {
  const c = vscode.workspace.getConfiguration('drydock');
  return {
    contexts: c.get<string[]>('extraLocalContexts', []),
    awsEndpoints: c.get<string[]>('aws.writableEndpoints', []),
  };
}

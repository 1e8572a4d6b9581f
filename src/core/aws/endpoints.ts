import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsEndpoint } from './clients';
import type { Logger } from '../log';
import { localEndpointReason, type LocalReason } from '../guard/local';

/** One profile of `~/.aws/config` as far as Drydock cares: where it points and in which region. */
export interface AwsProfile {
  name: string;
  endpointUrl?: string;
  region?: string;
}

export interface EndpointSettings {
  /** `drydock.aws.endpoints` */
  endpoints: readonly string[];
  /** `drydock.aws.region` */
  region: string;
}

/**
 * Parses the INI text of an AWS config file. Sections are `[default]` and `[profile NAME]`;
 * `[sso-session …]` and `[services …]` sections are skipped, as are indented sub-keys
 * (service-specific settings such as `s3 =\n  addressing_style = path`).
 */
export function parseAwsConfig(text: string): AwsProfile[] {
  const profiles = new Map<string, AwsProfile>();
  let current: AwsProfile | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(rawLine)) continue;
    const section = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(rawLine);
    if (section) {
      const header = section[1]!;
      const name = header === 'default' ? 'default' : /^profile\s+(.+)$/.exec(header)?.[1]?.trim();
      current = name ? (profiles.get(name) ?? { name }) : undefined;
      if (current) profiles.set(current.name, current);
      continue;
    }
    if (!current || /^\s/.test(rawLine)) continue; // outside a profile, or a nested sub-key
    const kv = /^([^=]+?)\s*=\s*(.*?)\s*$/.exec(rawLine);
    if (!kv) continue;
    const key = kv[1]!.trim().toLowerCase();
    const value = kv[2]!.replace(/\s+[#;].*$/, '');
    if (key === 'endpoint_url' && value) current.endpointUrl = value;
    if (key === 'region' && value) current.region = value;
  }
  return [...profiles.values()];
}

/** Where the AWS CLI reads its config: `AWS_CONFIG_FILE`, else `~/.aws/config`. */
export function awsConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config');
}

/** Profiles of the AWS config file; an absent file is no profiles, an unreadable one is logged. */
export async function readAwsProfiles(file: string, logger?: Logger): Promise<AwsProfile[]> {
  try {
    return parseAwsConfig(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger?.warn(`Could not read the AWS config file ${file}: ${(error as Error).message}`);
    }
    return [];
  }
}

/** Normalises an endpoint URL for comparison and display: no trailing slash. */
export function normaliseEndpointUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * The endpoints to show: each setting (in the setting's region), then each profile with an
 * `endpoint_url` (in the profile's region, else the setting's). Invalid URLs are dropped with a warning.
 */
export function resolveEndpoints(
  settings: EndpointSettings,
  profiles: readonly AwsProfile[],
  logger?: Logger,
): AwsEndpoint[] {
  const out: AwsEndpoint[] = [];
  const seen = new Set<string>();
  const add = (e: AwsEndpoint) => {
    try {
      const u = new URL(e.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      logger?.warn(`Ignoring AWS endpoint "${e.url}": not an http(s) URL`);
      return;
    }
    const id = endpointId(e);
    if (seen.has(id)) return;
    seen.add(id);
    out.push(e);
  };
  for (const url of settings.endpoints) {
    add({ url: normaliseEndpointUrl(url), region: settings.region, source: { kind: 'setting' } });
  }
  for (const p of profiles) {
    if (!p.endpointUrl) continue;
    add({
      url: normaliseEndpointUrl(p.endpointUrl),
      region: p.region ?? settings.region,
      source: { kind: 'profile', profile: p.name },
    });
  }
  return out;
}

/** Settings endpoints plus the AWS config file's profiles that have an `endpoint_url`. */
export async function discoverEndpoints(
  settings: EndpointSettings,
  options: { configFile?: string; logger?: Logger } = {},
): Promise<AwsEndpoint[]> {
  const profiles = await readAwsProfiles(options.configFile ?? awsConfigPath(), options.logger);
  return resolveEndpoints(settings, profiles, options.logger);
}

/** A stable id for an endpoint, for tree ids and panel keys. */
export function endpointId(e: AwsEndpoint): string {
  const source = e.source?.kind === 'profile' ? `profile:${e.source.profile}` : 'setting';
  return `${source}|${normaliseEndpointUrl(e.url)}|${e.region}`;
}

/** A short label: the URL, with the profile name when it came from one. */
export function endpointLabel(e: AwsEndpoint): string {
  return e.source?.kind === 'profile' ? `${e.url} (profile ${e.source.profile})` : e.url;
}

/** Why writes to this endpoint are allowed, or undefined when they are not (not on this machine). */
export function endpointWriteReason(e: AwsEndpoint, allowed: readonly string[] = []): LocalReason | undefined {
  return localEndpointReason(normaliseEndpointUrl(e.url), allowed.map(normaliseEndpointUrl));
}

import * as vscode from 'vscode';
import type { S3LocationOptions } from '../../core/velero';

/** One entry of `drydock.velero.locations`: a backup storage location and how to reach it. */
export interface VeleroLocationSetting extends S3LocationOptions {
  /** `s3://bucket/prefix` or a folder on disk (a Velero BSL's layout: `backups/<name>/…`). */
  location: string;
}

/** The configured Velero locations; entries that are neither a string nor `{ location }` are left out and logged. */
export function veleroLocationsSetting(warn: (message: string) => void): VeleroLocationSetting[] {
  const raw = vscode.workspace.getConfiguration('drydock.velero').get<unknown[]>('locations', []);
  const out: VeleroLocationSetting[] = [];
  for (const entry of Array.isArray(raw) ? raw : []) {
    if (typeof entry === 'string' && entry.trim()) out.push({ location: entry.trim() });
    else if (isLocationObject(entry)) out.push(entry);
    else warn(`drydock.velero.locations: ignoring ${JSON.stringify(entry)} (a string or { "location": … } expected)`);
  }
  return out;
}

function isLocationObject(v: unknown): v is VeleroLocationSetting {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.location === 'string' &&
    o.location.trim() !== '' &&
    ['endpoint', 'region', 'profile'].every((k) => o[k] === undefined || typeof o[k] === 'string')
  );
}

/** The S3 options of a location entry (endpoint, region, profile), without its address. */
export function s3OptionsOf(setting: VeleroLocationSetting): S3LocationOptions {
  return { endpoint: setting.endpoint, region: setting.region, profile: setting.profile };
}

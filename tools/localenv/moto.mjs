// @ts-check
// The local AWS emulator: moto server on 127.0.0.1 serving SQS, DynamoDB and S3.
import * as path from 'node:path';
import { paths, ports } from './config.mjs';
import { runningPid, startDaemon, stopDaemon, waitReady } from './proc.mjs';
import { nestedEnv } from './nestedEnv.mjs';

export async function motoUp() {
  if (runningPid('moto')) return false;
  startDaemon('moto', path.join(paths.motoVenv, 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(ports.aws)], {
    env: { ...nestedEnv(), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
  });
  await waitReady('moto', async () => (await fetch(`http://127.0.0.1:${ports.aws}/`)).status < 500, 60_000);
  return true;
}

export const motoDown = () => stopDaemon('moto');

import { detectEmulator } from '../aws/emulator';
import { serviceUrl, type AwsClients } from '../aws/clients';
import type { LocalAwsTarget } from './adaptation';

/** The account id each emulator puts in queue URLs and ARNs (LocalStack and most others: twelve zeros; moto: its own). */
const ACCOUNT_IDS: Record<string, string> = { localstack: '000000000000', moto: '123456789012' };

/** Where references to real AWS go on this restore's AWS target (the emulator, under the restore's prefix). */
export async function localAwsTarget(
  clients: AwsClients,
  naming: { prefix?: string; suffix?: string },
  signal?: AbortSignal,
): Promise<LocalAwsTarget> {
  const endpoint = clients.endpoint;
  const emulator = await detectEmulator(serviceUrl(endpoint, 'sqs'), signal).catch(() => ({ kind: 'aws-compatible' }));
  return {
    endpoints: {
      sqs: serviceUrl(endpoint, 'sqs'),
      dynamodb: serviceUrl(endpoint, 'dynamodb'),
      s3: serviceUrl(endpoint, 's3'),
    },
    region: endpoint.region,
    accountId: ACCOUNT_IDS[emulator.kind] ?? '000000000000',
    prefix: naming.prefix ?? '',
    suffix: naming.suffix ?? '',
  };
}

import { serviceUrl, type AwsEndpoint } from './clients';
import { detectEmulator } from './emulator';
import { DrydockError } from '../errors';

/**
 * The URL of a side-effect-free SQS listing for this endpoint's SQS, or undefined when there is none:
 * LocalStack serves one (`/_aws/sqs/messages`); moto, real SQS and other AWS-compatible endpoints do not, and
 * their messages can only be read by receiving them. An endpoint that cannot be probed counts as having none.
 */
export async function sqsPeekEndpoint(endpoint: AwsEndpoint, signal?: AbortSignal): Promise<string | undefined> {
  const url = serviceUrl(endpoint, 'sqs');
  try {
    return (await detectEmulator(url, signal)).kind === 'localstack' ? url : undefined;
  } catch (error) {
    if (DrydockError.is(error, 'cancelled')) throw error;
    return undefined;
  }
}

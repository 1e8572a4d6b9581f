import { DrydockError, type DrydockErrorCode } from '../errors';

/** A Kubernetes `Status` object, as the API server sends it with a failed request. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

/** The API server refused a request; `message` is the server's own Status message. */
export class KubeApiError extends DrydockError {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
    readonly status?: KubeStatus,
  ) {
    super(codeFor(statusCode), message);
  }

  /** Builds the error from a response status code and body (a Status object when the server sent one). */
  static fromResponse(statusCode: number, body: string, what: string): KubeApiError {
    let status: KubeStatus | undefined;
    try {
      const parsed = JSON.parse(body) as KubeStatus;
      if (parsed && typeof parsed === 'object') status = parsed;
    } catch {
      // not JSON: keep the text below
    }
    const reason = status?.reason ?? reasonFor(statusCode);
    const serverMessage = status?.message ?? (body.trim().slice(0, 300) || `HTTP ${statusCode}`);
    return new KubeApiError(statusCode, reason, `${serverMessage} (${what}: ${statusCode} ${reason})`, status);
  }

  static override is(value: unknown, code?: DrydockErrorCode): value is KubeApiError {
    return value instanceof KubeApiError && (code === undefined || value.code === code);
  }
}

function codeFor(statusCode: number): DrydockErrorCode {
  if (statusCode === 404) return 'not-found';
  if (statusCode === 409) return 'conflict';
  if (statusCode === 400 || statusCode === 422) return 'invalid-input';
  return 'failed';
}

function reasonFor(statusCode: number): string {
  switch (statusCode) {
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    default:
      return statusCode >= 500 ? 'InternalError' : 'BadRequest';
  }
}

/**
 * Kubernetes `Status` objects (meta/v1) — what kubectl prints for errors.
 * kubectl shows `Error from server (<Reason>): <message>`.
 */
export interface K8sStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message: string; field?: string }>;
  };
}

/** The StatusReason kube-apiserver uses for each HTTP code. */
const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonForCode(code: number): string {
  return REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
}

export function failureStatus(
  code: number,
  message: string,
  reason = reasonForCode(code),
  details?: K8sStatus['details'],
): K8sStatus {
  const status: K8sStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return status;
}

export const statuses = {
  badRequest: (m: string) => failureStatus(400, m),
  unauthorized: (m: string) => failureStatus(401, m),
  forbidden: (m: string) => failureStatus(403, m),
  notFound: (m: string) => failureStatus(404, m),
  methodNotAllowed: (m: string) => failureStatus(405, m),
  conflict: (m: string) => failureStatus(409, m),
  tooLarge: (m: string) => failureStatus(413, m),
  internal: (m: string) => failureStatus(500, m),
  /** 502: the executor's answer failed the gateway's own checks (signature, digest). */
  badGateway: (m: string) => failureStatus(502, m, 'InternalError'),
  unavailable: (m: string) => failureStatus(503, m),
  /** 504 with reason Timeout; a retry is a new request (its own Request object). */
  timeout: (m: string) => failureStatus(504, m, 'Timeout'),
};

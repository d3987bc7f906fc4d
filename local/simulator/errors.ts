/** Error names the simulator answers with, and their HTTP status codes (as Connect uses them). */
const ERROR_STATUS = {
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalServiceException: 500,
  ServiceUnavailableException: 503,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  UnknownOperationException: 404,
} as const;
/** A Connect error name. */
export type ConnectErrorName = keyof typeof ERROR_STATUS;

/**
 * An error the simulator returns on the wire: status code, `x-amzn-ErrorType: <name>` and
 * `{"Message": ...}`, which the SDK turns into the typed exception of the same name.
 */
export class ConnectApiError extends Error {
  readonly status: number;

  constructor(
    readonly errorType: ConnectErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectApiError';
    this.status = ERROR_STATUS[errorType];
  }
}

/** Shorthand for the most common validation error. */
export const invalidParameter = (message: string): ConnectApiError =>
  new ConnectApiError('InvalidParameterException', message);

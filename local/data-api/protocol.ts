import * as z from 'zod';

/**
 * The RDS Data API wire protocol as the local server speaks it: restJson1, camelCase members, errors
 * as a status code plus `x-amzn-ErrorType` and a body `{"message": ...}` (names and codes from the
 * `@aws-sdk/client-rds-data` model).
 */

/** An error the server answers with: the Data API's error name, HTTP status and message. */
export class DataApiError extends Error {
  constructor(
    /** The Data API error name, sent as `x-amzn-ErrorType` (for example `BadRequestException`). */
    readonly errorType: string,
    /** HTTP status code. */
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DataApiError';
  }
}

/** 400 BadRequestException: the call itself is wrong (malformed body, bad ARN, unsupported value). */
export const badRequest = (message: string, cause?: unknown) =>
  new DataApiError('BadRequestException', 400, message, { cause });
/** 400 DatabaseErrorException: PostgreSQL refused the statement. */
export const databaseError = (message: string, cause?: unknown) =>
  new DataApiError('DatabaseErrorException', 400, message, { cause });
/** 404 TransactionNotFoundException: unknown, ended, expired or aborted transaction id. */
export const transactionNotFound = (transactionId: string, reason: string) =>
  new DataApiError(
    'TransactionNotFoundException',
    404,
    `Transaction ${transactionId} is not found (${reason})`,
  );
/** 400 DatabaseResumingException: the (simulated) cluster is resuming from auto-pause. */
export const databaseResuming = () =>
  new DataApiError(
    'DatabaseResumingException',
    400,
    'The Aurora DB instance is resuming after being auto-paused. Please wait a few seconds and try again.',
  );
/** 400 UnsupportedResultException: a result the Data API cannot return. */
export const unsupportedResult = (message: string) =>
  new DataApiError('UnsupportedResultException', 400, message);

/** Any well-formed ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[^\s]+$/;
const arn = (what: string) =>
  z.string({ error: `${what} is required` }).regex(ARN, { message: `${what} is not a well-formed ARN` });

/** The Data API's typeHint values. */
const TYPE_HINTS = ['DATE', 'DECIMAL', 'JSON', 'TIME', 'TIMESTAMP', 'UUID'] as const;
export type TypeHint = (typeof TYPE_HINTS)[number];

/**
 * A `Field` union as sent in parameters; exactly one member is set (checked when mapped). Unknown
 * members are refused, since a value the server silently dropped would be written as something else.
 * Other request objects ignore unknown members, as AWS services do.
 */
const FieldSchema = z
  .object({
    isNull: z.boolean().optional(),
    booleanValue: z.boolean().optional(),
    longValue: z.number().int().optional(),
    doubleValue: z.number().optional(),
    stringValue: z.string().optional(),
    blobValue: z.string().optional(),
    arrayValue: z.unknown().optional(),
  })
  .strict();
export type Field = z.infer<typeof FieldSchema>;

const SqlParameterSchema = z.object({
  name: z.string().min(1, 'parameter name is empty'),
  value: FieldSchema,
  typeHint: z.enum(TYPE_HINTS).optional(),
});
export type WireSqlParameter = z.infer<typeof SqlParameterSchema>;

const SQL = z
  .string({ error: 'sql is required' })
  .min(1, 'sql is empty')
  .max(65_536, 'sql is over 65,536 characters');
const TRANSACTION_ID = z.string().min(1).max(192);

export const ExecuteStatementSchema = z.object({
  resourceArn: arn('resourceArn'),
  secretArn: arn('secretArn'),
  sql: SQL,
  database: z.string().max(64).optional(),
  schema: z.string().optional(),
  parameters: z.array(SqlParameterSchema).optional(),
  transactionId: TRANSACTION_ID.optional(),
  includeResultMetadata: z.boolean().optional(),
  continueAfterTimeout: z.boolean().optional(),
  resultSetOptions: z
    .object({
      decimalReturnType: z.enum(['STRING', 'DOUBLE_OR_LONG']).optional(),
      longReturnType: z.enum(['STRING', 'LONG']).optional(),
    })
    .optional(),
  formatRecordsAs: z.enum(['NONE', 'JSON']).optional(),
});
export type ExecuteStatementRequest = z.infer<typeof ExecuteStatementSchema>;

export const BatchExecuteStatementSchema = z.object({
  resourceArn: arn('resourceArn'),
  secretArn: arn('secretArn'),
  sql: SQL,
  database: z.string().max(64).optional(),
  schema: z.string().optional(),
  parameterSets: z.array(z.array(SqlParameterSchema)).optional(),
  transactionId: TRANSACTION_ID.optional(),
});
export type BatchExecuteStatementRequest = z.infer<typeof BatchExecuteStatementSchema>;

export const BeginTransactionSchema = z.object({
  resourceArn: arn('resourceArn'),
  secretArn: arn('secretArn'),
  database: z.string().max(64).optional(),
  schema: z.string().optional(),
});
export type BeginTransactionRequest = z.infer<typeof BeginTransactionSchema>;

export const EndTransactionSchema = z.object({
  resourceArn: arn('resourceArn'),
  secretArn: arn('secretArn'),
  transactionId: z.string({ error: 'transactionId is required' }).min(1, 'transactionId is empty'),
});
export type EndTransactionRequest = z.infer<typeof EndTransactionSchema>;

/**
 * Parses a request body with `schema`, turning every problem into one BadRequestException that says
 * which member is wrong and why.
 */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return `${path}: ${issue.message}`;
  });
  throw badRequest(`Invalid request: ${problems.join('; ')}`);
}

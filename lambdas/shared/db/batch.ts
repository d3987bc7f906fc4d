import { DATA_API_MAX_REQUEST_BYTES } from './data-api-executor';
import { type SqlExecutor, type SqlParameters, sqlJson } from './executor';

/** A value in a batch row; Dates are sent as ISO-8601 strings (cast them in the SQL). */
export type BatchValue = null | boolean | number | string | Date | readonly BatchValue[] | BatchRow;

/** One row of a batch: column name to value. */
export interface BatchRow {
  readonly [column: string]: BatchValue;
}

/** Tunes {@link writeBatch}. */
export interface WriteBatchOptions {
  /**
   * Other named parameters the SQL uses besides `:rows` (for example `:instanceId`).
   * @default {}
   */
  readonly params?: SqlParameters;
  /**
   * Largest request to send, in bytes; a batch whose request would be larger is split.
   * @default 4 MiB (the Data API's limit) less a 64 KiB margin for the request envelope
   */
  readonly maxRequestBytes?: number;
}

/** A single row too large to fit any request; nothing was written. */
export class BatchRowTooLargeError extends Error {
  override readonly name = 'BatchRowTooLargeError';
}

const ENVELOPE_MARGIN_BYTES = 64 * 1024;

/**
 * Writes `rows` with ONE statement whose SQL reads them from `:rows`, for example
 * `INSERT INTO t (a, b) SELECT a, b FROM jsonb_to_recordset(:rows::jsonb) AS r(a text, b int)
 * ON CONFLICT (a) DO UPDATE ...`, and returns the rows affected.
 *
 * The rows travel as one JSON parameter. Only when that request would pass the Data API's 4 MiB limit
 * is the batch split, into as few statements as fit; those then run in one transaction (or join the
 * caller's), so a batch lands whole or not at all. An empty batch sends nothing.
 */
export async function writeBatch(
  executor: SqlExecutor,
  sql: string,
  rows: readonly BatchRow[],
  options: WriteBatchOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const params = options.params ?? {};
  const limit = options.maxRequestBytes ?? DATA_API_MAX_REQUEST_BYTES - ENVELOPE_MARGIN_BYTES;
  const chunks = splitRows(rows, limit - fixedRequestBytes(sql, params));
  const run = async (target: SqlExecutor) => {
    let affected = 0;
    for (const chunk of chunks) {
      const result = await target.query(sql, { ...params, rows: sqlJson(chunk) });
      affected += result.rowCount;
    }
    return affected;
  };
  return chunks.length === 1 ? run(executor) : executor.transaction(run);
}

/**
 * Splits rows into the fewest consecutive chunks whose `:rows` parameter fits `budgetBytes` once
 * encoded in a Data API request (the JSON text is itself escaped inside the JSON body).
 * @throws BatchRowTooLargeError when one row alone does not fit
 */
export function splitRows(rows: readonly BatchRow[], budgetBytes: number): BatchRow[][] {
  const chunks: BatchRow[][] = [];
  let current: BatchRow[] = [];
  let currentBytes = 2; // the brackets of the JSON array
  rows.forEach((row, index) => {
    // +1 for the comma between rows; encodedBytes counts the row as it travels in the request body.
    const rowBytes = encodedBytes(JSON.stringify(row)) + 1;
    if (2 + rowBytes > budgetBytes) {
      throw new BatchRowTooLargeError(
        `row ${index} alone is ${rowBytes} bytes encoded, over the ${budgetBytes}-byte budget for one request`,
      );
    }
    if (currentBytes + rowBytes > budgetBytes && current.length > 0) {
      chunks.push(current);
      current = [];
      currentBytes = 2;
    }
    current.push(row);
    currentBytes += rowBytes;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Bytes the request spends on everything but the rows: SQL and other parameters, JSON-escaped. */
function fixedRequestBytes(sql: string, params: SqlParameters): number {
  return encodedBytes(sql) + encodedBytes(JSON.stringify(params)) + 512;
}

/** Size in bytes of `text` once written as a JSON string inside the request body, without quotes. */
function encodedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

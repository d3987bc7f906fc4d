import { bindStatement, shapeResult, toDataApiError } from '../../../local/data-api/operations';
import { DataApiError } from '../../../local/data-api/protocol';
import { OID } from '../../../local/data-api/values';

/** An error shaped as pg and PGlite throw them. */
function pgError(message: string, code: string, position?: string): Error {
  return Object.assign(new Error(message), { code, ...(position ? { position } : {}) });
}

describe('toDataApiError', () => {
  test('words an SQL error as the Data API does, with position and SQLState', () => {
    const error = toDataApiError(pgError('relation "x" does not exist', '42P01', '15'));

    expect(error.errorType).toBe('DatabaseErrorException');
    expect(error.status).toBe(400);
    expect(error.message).toBe('ERROR: relation "x" does not exist\n  Position: 15; SQLState: 42P01');
  });

  test('answers several statements in one call with ValidationException', () => {
    const error = toDataApiError(
      pgError('cannot insert multiple commands into a prepared statement', '42601'),
    );

    expect(error.errorType).toBe('ValidationException');
    expect(error.message).toBe("Multistatements aren't supported.");
  });

  test('answers a statement cancelled by statement_timeout with StatementTimeoutException', () => {
    const error = toDataApiError(pgError('canceling statement due to statement timeout', '57014'));

    expect(error.errorType).toBe('StatementTimeoutException');
    expect(error.status).toBe(400);
  });

  test('keeps a DataApiError as it is and turns anything else into a 500', () => {
    const known = new DataApiError('BadRequestException', 400, 'bad');

    expect(toDataApiError(known)).toBe(known);
    expect(toDataApiError(new TypeError('bug'))).toMatchObject({
      errorType: 'InternalServerErrorException',
      status: 500,
    });
  });
});

describe('bindStatement', () => {
  test('numbers each name once, however often the SQL uses it, and ignores unused parameters', () => {
    const { text, params } = bindStatement('SELECT :a, :b, :a::text', [
      { name: 'b', value: { longValue: 2 } },
      { name: 'a', value: { stringValue: 'x' } },
      { name: 'unused', value: { booleanValue: true } },
    ]);

    expect(text).toBe('SELECT $1, $2, $1::text');
    expect(params).toEqual([
      { text: 'x', oid: OID.VARCHAR },
      { text: '2', oid: OID.INT8 },
    ]);
  });

  test('refuses SQL that names a parameter the request lacks', () => {
    expect(() => bindStatement('SELECT :missing', [])).toThrow(/No value specified for parameter :missing/);
  });
});

describe('shapeResult', () => {
  const raw = {
    fields: [
      { name: 'id', dataTypeID: OID.INT4 },
      { name: 'at', dataTypeID: OID.TIMESTAMPTZ },
    ],
    rows: [['1', '2026-11-23 04:00:00+00']],
    updated: 0,
  };

  test('returns typed records by default and JSON when asked', () => {
    const records = shapeResult(raw, { json: false, metadata: false, options: {} });
    const json = shapeResult(raw, { json: true, metadata: true, options: {} });

    expect(records.records).toEqual([[{ longValue: 1 }, { stringValue: '2026-11-23 04:00:00' }]]);
    expect(records.formattedRecords).toBeUndefined();
    expect(JSON.parse(json.formattedRecords as string)).toEqual([{ id: 1, at: '2026-11-23 04:00:00' }]);
    expect(json.records).toBeUndefined();
    expect((json.columnMetadata as unknown[]).length).toBe(2);
  });

  test.each([
    ['void', 2278],
    ['interval', 1186],
    ['oid', OID.OID],
    ['char', OID.CHAR],
    ['record', 2249],
  ])('refuses a %s result column with UnsupportedResultException, as the Data API does', (type, oid) => {
    const result = { fields: [{ name: 'x', dataTypeID: oid }], rows: [['']], updated: 0 };

    expect(() => shapeResult(result, { json: true, metadata: false, options: {} })).toThrow(
      expect.objectContaining({
        errorType: 'UnsupportedResultException',
        message: `The result contains the unsupported data type ${type} (column x)`,
      }),
    );
  });

  test('returns every documented scalar type: name, numeric, uuid, jsonb, text[] and timestamptz', () => {
    const result = {
      fields: [
        { name: 'n', dataTypeID: OID.NAME },
        { name: 'd', dataTypeID: OID.NUMERIC },
        { name: 'u', dataTypeID: OID.UUID },
        { name: 'j', dataTypeID: OID.JSONB },
        { name: 'a', dataTypeID: 1009 },
        { name: 't', dataTypeID: OID.TIMESTAMPTZ },
      ],
      rows: [['v', '1.5', '00000000-0000-4000-8000-000000000001', '{}', '{a,b}', '2026-11-23 04:00:00+00']],
      updated: 0,
    };

    expect(() => shapeResult(result, { json: true, metadata: false, options: {} })).not.toThrow();
  });

  test('refuses a response over 1 MiB with UnsupportedResultException', () => {
    const big = {
      fields: [{ name: 't', dataTypeID: OID.TEXT }],
      rows: Array.from({ length: 20 }, () => ['x'.repeat(60_000)]),
      updated: 0,
    };

    expect(() => shapeResult(big, { json: true, metadata: false, options: {} })).toThrow(
      expect.objectContaining({ errorType: 'UnsupportedResultException' }),
    );
  });
});

import { columnMetadata } from '../../../local/data-api/column-metadata';
import { DataApiError } from '../../../local/data-api/protocol';
import { bindParameter, convertCell, OID, parsePgArray, utcTimestamp } from '../../../local/data-api/values';

function thrown(run: () => unknown): DataApiError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof DataApiError) return error;
    throw error;
  }
  throw new Error('expected a DataApiError');
}

describe('bindParameter', () => {
  test('binds each Field member with the type the Data API gives it', () => {
    expect(bindParameter({ name: 'a', value: { isNull: true } })).toEqual({
      text: null,
      oid: OID.UNSPECIFIED,
    });
    expect(bindParameter({ name: 'a', value: { booleanValue: false } })).toEqual({
      text: 'false',
      oid: OID.BOOL,
    });
    expect(bindParameter({ name: 'a', value: { longValue: -3 } })).toEqual({ text: '-3', oid: OID.INT8 });
    expect(bindParameter({ name: 'a', value: { doubleValue: 2.5 } })).toEqual({
      text: '2.5',
      oid: OID.FLOAT8,
    });
    expect(bindParameter({ name: 'a', value: { stringValue: 's' } })).toEqual({
      text: 's',
      oid: OID.VARCHAR,
    });
    expect(bindParameter({ name: 'a', value: { blobValue: 'AP8=' } })).toEqual({
      text: '\\x00ff',
      oid: OID.BYTEA,
    });
  });

  test('binds a typeHinted string as the hinted type', () => {
    const hinted = (
      typeHint: 'DATE' | 'DECIMAL' | 'JSON' | 'TIME' | 'TIMESTAMP' | 'UUID',
      stringValue: string,
    ) => bindParameter({ name: 'a', value: { stringValue }, typeHint }).oid;

    expect(hinted('DATE', '2026-11-23')).toBe(OID.DATE);
    expect(hinted('DECIMAL', '-12.50')).toBe(OID.NUMERIC);
    expect(hinted('JSON', '{"a":1}')).toBe(OID.JSON);
    expect(hinted('TIME', '10:11:12.123')).toBe(OID.TIME);
    expect(hinted('TIMESTAMP', '2026-11-23 10:11:12.123456')).toBe(OID.TIMESTAMP);
    expect(hinted('UUID', '6f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f')).toBe(OID.UUID);
  });

  test.each([
    ['an empty field', { name: 'p', value: {} }, 'exactly one value member, got none'],
    ['two members', { name: 'p', value: { longValue: 1, stringValue: '1' } }, 'got longValue, stringValue'],
    [
      'an array',
      { name: 'p', value: { arrayValue: { longValues: [1] } } },
      'array parameters are not supported',
    ],
    [
      'a typeHint on a long',
      { name: 'p', value: { longValue: 1 }, typeHint: 'DECIMAL' as const },
      'stringValue only',
    ],
    [
      'a malformed DATE',
      { name: 'p', value: { stringValue: '23/11/2026' }, typeHint: 'DATE' as const },
      'YYYY-MM-DD',
    ],
    ['a malformed UUID', { name: 'p', value: { stringValue: 'q1' }, typeHint: 'UUID' as const }, 'a UUID'],
    ['bad base64', { name: 'p', value: { blobValue: '@@' } }, 'not base64'],
  ])('refuses %s with BadRequestException naming the parameter', (_label, parameter, fragment) => {
    const error = thrown(() => bindParameter(parameter));

    expect(error.errorType).toBe('BadRequestException');
    expect(error.message).toContain('Parameter p');
    expect(error.message).toContain(fragment);
  });
});

describe('convertCell', () => {
  test('types scalars as the Data API does', () => {
    expect(convertCell(OID.BOOL, 't')).toEqual({ field: { booleanValue: true }, json: true });
    expect(convertCell(OID.INT8, '9007199254740991').field).toEqual({ longValue: 9_007_199_254_740_991 });
    expect(convertCell(OID.FLOAT8, '3').field).toEqual({ doubleValue: 3 });
    expect(convertCell(OID.NUMERIC, '1.50')).toEqual({ field: { stringValue: '1.50' }, json: '1.50' });
    expect(convertCell(OID.BYTEA, '\\x00ff')).toEqual({ field: { blobValue: 'AP8=' }, json: 'AP8=' });
    expect(convertCell(OID.INT4, null)).toEqual({ field: { isNull: true }, json: null });
  });

  test('honours resultSetOptions for longs and decimals', () => {
    expect(convertCell(OID.INT8, '12', { longReturnType: 'STRING' }).field).toEqual({ stringValue: '12' });
    expect(convertCell(OID.NUMERIC, '1.5', { decimalReturnType: 'DOUBLE_OR_LONG' }).field).toEqual({
      doubleValue: 1.5,
    });
    expect(convertCell(OID.NUMERIC, '7', { decimalReturnType: 'DOUBLE_OR_LONG' }).field).toEqual({
      longValue: 7,
    });
  });

  test('returns one-dimensional arrays as typed arrayValue', () => {
    expect(convertCell(1007, '{1,NULL,3}')).toEqual({
      field: { arrayValue: { longValues: [1, null, 3] } },
      json: [1, null, 3],
    });
    expect(convertCell(1000, '{t,f}').field).toEqual({ arrayValue: { booleanValues: [true, false] } });
    expect(convertCell(1009, '{a,"b c","d\\"e"}').field).toEqual({
      arrayValue: { stringValues: ['a', 'b c', 'd"e'] },
    });
  });

  test('refuses a multidimensional array with UnsupportedResultException', () => {
    expect(thrown(() => convertCell(1007, '{{1,2},{3,4}}')).errorType).toBe('UnsupportedResultException');
  });
});

describe('utcTimestamp', () => {
  test('drops a zero offset and keeps the fraction PostgreSQL printed', () => {
    expect(utcTimestamp('2026-11-23 04:05:06.789+00')).toBe('2026-11-23 04:05:06.789');
    expect(utcTimestamp('2026-11-23 04:05:06+00')).toBe('2026-11-23 04:05:06');
  });

  test('converts any other offset to UTC', () => {
    expect(utcTimestamp('2026-11-23 01:00:00.5+05:30')).toBe('2026-11-22 19:30:00.5');
    expect(utcTimestamp('2026-11-23 22:00:00-03')).toBe('2026-11-24 01:00:00');
  });

  test('passes infinity through', () => {
    expect(utcTimestamp('infinity')).toBe('infinity');
  });
});

describe('parsePgArray', () => {
  test('parses empty, quoted and NULL elements', () => {
    expect(parsePgArray('{}')).toEqual([]);
    expect(parsePgArray('{"NULL",NULL,"a,b"}')).toEqual(['NULL', null, 'a,b']);
  });
});

describe('columnMetadata', () => {
  test('describes columns with PostgreSQL type names and JDBC type codes', () => {
    const [id, tags] = columnMetadata([
      { name: 'id', dataTypeID: OID.INT8 },
      { name: 'tags', dataTypeID: 1009 },
    ]);

    expect(id).toMatchObject({ name: 'id', label: 'id', typeName: 'int8', type: -5, isSigned: true });
    expect(tags).toMatchObject({ typeName: '_text', type: 2003, arrayBaseColumnType: 12 });
  });
});

import { badRequest, type Field, unsupportedResult, type WireSqlParameter } from './protocol';

/**
 * Value mapping between the Data API's typed fields and PostgreSQL's text protocol, done the way the
 * Data API does it: every parameter is bound with a type (a string without a typeHint is `varchar`,
 * so `INSERT INTO t (ts) VALUES (:s)` fails on a timestamptz column here exactly as on AWS), and
 * results come back as typed fields or JSON values.
 */

/** PostgreSQL type OIDs this module knows by name. */
export const OID = {
  UNSPECIFIED: 0,
  BOOL: 16,
  BYTEA: 17,
  CHAR: 18,
  NAME: 19,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  OID: 26,
  JSON: 114,
  FLOAT4: 700,
  FLOAT8: 701,
  BPCHAR: 1042,
  VARCHAR: 1043,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  NUMERIC: 1700,
  UUID: 2950,
  JSONB: 3802,
} as const;

/** A parameter ready to bind: its text (null for SQL NULL) and the type it is bound as. */
export interface BoundParameter {
  readonly text: string | null;
  readonly oid: number;
}

/** How a statement's results are shaped (the request's `resultSetOptions`). */
export interface ResultOptions {
  readonly decimalReturnType?: 'STRING' | 'DOUBLE_OR_LONG' | undefined;
  readonly longReturnType?: 'STRING' | 'LONG' | undefined;
}

const HINT_OIDS = {
  DATE: OID.DATE,
  DECIMAL: OID.NUMERIC,
  JSON: OID.JSON,
  TIME: OID.TIME,
  TIMESTAMP: OID.TIMESTAMP,
  UUID: OID.UUID,
} as const;

// The formats the Data API documents for each typeHint; anything else is refused rather than guessed.
const HINT_FORMATS: Partial<Record<keyof typeof HINT_OIDS, { pattern: RegExp; shape: string }>> = {
  DATE: { pattern: /^\d{4}-\d{2}-\d{2}$/, shape: 'YYYY-MM-DD' },
  TIME: { pattern: /^\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/, shape: 'HH:MM:SS[.FFF]' },
  TIMESTAMP: {
    pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
    shape: 'YYYY-MM-DD HH:MM:SS[.FFF]',
  },
  DECIMAL: { pattern: /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/, shape: 'a decimal number' },
  UUID: { pattern: /^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$/, shape: 'a UUID' },
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Binds one wire parameter.
 * @throws DataApiError BadRequestException for an empty or ambiguous field, an array, or a value that
 *   does not match its typeHint
 */
export function bindParameter(parameter: WireSqlParameter): BoundParameter {
  const { name, value, typeHint } = parameter;
  const members = Object.entries(value).filter(
    ([key, v]) => v !== undefined && !(key === 'isNull' && v === false),
  );
  if (members.length !== 1) {
    throw badRequest(
      `Parameter ${name}: a Field must have exactly one value member, got ${members.length === 0 ? 'none' : members.map(([k]) => k).join(', ')}`,
    );
  }
  if (typeHint && value.stringValue === undefined) {
    throw badRequest(`Parameter ${name}: typeHint ${typeHint} applies to stringValue only`);
  }
  if (value.isNull) return { text: null, oid: OID.UNSPECIFIED };
  if (value.booleanValue !== undefined) return { text: String(value.booleanValue), oid: OID.BOOL };
  if (value.longValue !== undefined) return { text: String(value.longValue), oid: OID.INT8 };
  if (value.doubleValue !== undefined) return { text: String(value.doubleValue), oid: OID.FLOAT8 };
  if (value.blobValue !== undefined) {
    if (!BASE64.test(value.blobValue)) throw badRequest(`Parameter ${name}: blobValue is not base64`);
    return { text: `\\x${Buffer.from(value.blobValue, 'base64').toString('hex')}`, oid: OID.BYTEA };
  }
  if (value.stringValue !== undefined) {
    if (!typeHint) return { text: value.stringValue, oid: OID.VARCHAR };
    const format = HINT_FORMATS[typeHint];
    if (format && !format.pattern.test(value.stringValue)) {
      throw badRequest(
        `Parameter ${name}: '${value.stringValue.slice(0, 64)}' is not a valid ${typeHint} value; expected ${format.shape}`,
      );
    }
    return { text: value.stringValue, oid: HINT_OIDS[typeHint] };
  }
  throw badRequest(`Parameter ${name}: array parameters are not supported`);
}

/** A column as the database described it. */
export interface ColumnDescription {
  readonly name: string;
  readonly dataTypeID: number;
}

/** A converted cell: the typed Field for `records` and the plain value for `formattedRecords`. */
export interface Cell {
  readonly field: Field | ArrayField;
  readonly json: unknown;
}

/** The `arrayValue` member of a result field. */
export interface ArrayField {
  readonly arrayValue: {
    booleanValues?: (boolean | null)[];
    longValues?: (number | null)[];
    doubleValues?: (number | null)[];
    stringValues?: (string | null)[];
  };
}

/** Element type OID by array type OID, for the array types the Data API returns. */
export const ARRAY_ELEMENT: Readonly<Record<number, number>> = {
  1000: OID.BOOL,
  1005: OID.INT2,
  1007: OID.INT4,
  1016: OID.INT8,
  1021: OID.FLOAT4,
  1022: OID.FLOAT8,
  1009: OID.TEXT,
  1014: OID.BPCHAR,
  1015: OID.VARCHAR,
  1231: OID.NUMERIC,
  2951: OID.UUID,
  1115: OID.TIMESTAMP,
  1185: OID.TIMESTAMPTZ,
  1182: OID.DATE,
  1183: OID.TIME,
  199: OID.JSON,
  3807: OID.JSONB,
};
/** Integer type OIDs (returned as longValue). */
export const INTEGER_OIDS = new Set<number>([OID.INT2, OID.INT4, OID.INT8]);

/**
 * Result column types the Data API returns for Aurora PostgreSQL: its documented scalar types (BOOL,
 * BYTEA, DATE, CIDR, DECIMAL/NUMERIC, FLOAT8, INET, INT, INT2, INT8, JSON/JSONB, REAL, TEXT/CHAR(N)/
 * VARCHAR/NAME, TIME, TIMESTAMP, TIMESTAMPTZ in UTC, UUID) and the arrays of {@link ARRAY_ELEMENT}. Any
 * other type (void, oid, "char", interval, record, regclass, money, point...) is answered
 * `UnsupportedResultException: The result contains the unsupported data type <type>`, so a statement
 * returning one fails here as it fails on Aurora. Sources: Aurora User Guide, "Data API operations"
 * (data-api-operations.html, supported types) and "Troubleshooting" (data-api.troubleshooting.html).
 * ENUM and VECTOR are supported by the Data API too, but have no fixed OID; this project uses neither.
 */
const SUPPORTED_RESULT_OIDS: ReadonlySet<number> = new Set<number>([
  OID.BOOL,
  OID.BYTEA,
  OID.NAME,
  OID.INT8,
  OID.INT2,
  OID.INT4,
  OID.TEXT,
  OID.JSON,
  650, // cidr
  869, // inet
  OID.FLOAT4,
  OID.FLOAT8,
  OID.BPCHAR,
  OID.VARCHAR,
  OID.DATE,
  OID.TIME,
  OID.TIMESTAMP,
  OID.TIMESTAMPTZ,
  OID.NUMERIC,
  OID.UUID,
  OID.JSONB,
  1003, // name[]
  ...Object.keys(ARRAY_ELEMENT).map(Number),
]);

/** Names of the unsupported types a statement most often returns by accident, for the error message. */
const UNSUPPORTED_NAMES: Readonly<Record<number, string>> = {
  [OID.CHAR]: 'char',
  [OID.OID]: 'oid',
  1186: 'interval',
  2205: 'regclass',
  2206: 'regtype',
  2249: 'record',
  2278: 'void',
  790: 'money',
  600: 'point',
};

/**
 * Refuses a result with a column type the Data API cannot return, as it does.
 * @throws DataApiError UnsupportedResultException naming the type
 */
export function assertSupportedResult(columns: readonly ColumnDescription[]): void {
  const bad = columns.find((c) => !SUPPORTED_RESULT_OIDS.has(c.dataTypeID));
  if (bad) {
    const type = UNSUPPORTED_NAMES[bad.dataTypeID] ?? `with OID ${bad.dataTypeID}`;
    throw unsupportedResult(`The result contains the unsupported data type ${type} (column ${bad.name})`);
  }
}
/** Floating-point type OIDs (returned as doubleValue). */
export const FLOAT_OIDS = new Set<number>([OID.FLOAT4, OID.FLOAT8]);

type Scalar = boolean | number | string | null;

/** Converts one scalar cell from PostgreSQL text to the Data API value. */
function scalar(oid: number, text: string, options: ResultOptions): Scalar {
  if (oid === OID.BOOL) return text === 't' || text === 'true';
  if (INTEGER_OIDS.has(oid)) return options.longReturnType === 'STRING' ? text : Number(text);
  if (FLOAT_OIDS.has(oid)) return Number(text);
  if (oid === OID.NUMERIC && options.decimalReturnType === 'DOUBLE_OR_LONG') return Number(text);
  if (oid === OID.TIMESTAMPTZ) return utcTimestamp(text);
  if (oid === OID.BYTEA) return Buffer.from(text.replace(/^\\x/, ''), 'hex').toString('base64');
  return text;
}

function scalarField(oid: number, value: Scalar): Field {
  if (value === null) return { isNull: true };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'string') return oid === OID.BYTEA ? { blobValue: value } : { stringValue: value };
  return Number.isInteger(value) && !FLOAT_OIDS.has(oid) ? { longValue: value } : { doubleValue: value };
}

/** Converts one result cell. */
export function convertCell(oid: number, text: string | null, options: ResultOptions = {}): Cell {
  if (text === null) return { field: { isNull: true }, json: null };
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) {
    const values = parsePgArray(text).map((item) => (item === null ? null : scalar(element, item, options)));
    return { field: { arrayValue: arrayMember(element, values) }, json: values };
  }
  const value = scalar(oid, text, options);
  return { field: scalarField(oid, value), json: value };
}

function arrayMember(element: number, values: Scalar[]): ArrayField['arrayValue'] {
  if (element === OID.BOOL) return { booleanValues: values as (boolean | null)[] };
  if (FLOAT_OIDS.has(element)) return { doubleValues: values as (number | null)[] };
  if (values.some((v) => typeof v === 'number')) return { longValues: values as (number | null)[] };
  return { stringValues: values.map((v) => (v === null ? null : String(v))) };
}

/**
 * Formats a timestamptz as the Data API does: UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]`. The server's
 * sessions run in UTC, so the offset is normally `+00`; any other offset is converted.
 */
export function utcTimestamp(text: string): string {
  const match =
    /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?( BC)?$/.exec(
      text,
    );
  if (!match) return text; // infinity, -infinity
  const [, date, time, fraction = '', hours, minutes = '00', seconds = '00', era = ''] = match;
  if (hours === '+00' && minutes === '00' && seconds === '00') return `${date} ${time}${fraction}${era}`;
  const sign = hours?.startsWith('-') ? -1 : 1;
  const offsetMs = sign * (Math.abs(Number(hours)) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000;
  const utc = new Date(Date.parse(`${date}T${time}Z`) - offsetMs)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');
  return `${utc}${fraction}${era}`;
}

/**
 * Parses a one-dimensional PostgreSQL array literal (`{1,2,NULL}`, `{"a b","c\"d"}`).
 * @throws DataApiError UnsupportedResultException for multidimensional arrays, as the Data API does
 */
export function parsePgArray(literal: string): (string | null)[] {
  const text = literal.startsWith('[') ? literal.slice(literal.indexOf('=') + 1) : literal;
  if (!text.startsWith('{') || !text.endsWith('}'))
    throw unsupportedResult(`unreadable array value ${literal}`);
  const inner = text.slice(1, -1);
  if (inner === '') return [];
  if (inner.startsWith('{'))
    throw unsupportedResult('The result contains a multidimensional array, which is unsupported');
  const items: (string | null)[] = [];
  let i = 0;
  while (i <= inner.length) {
    if (inner[i] === '"') {
      let value = '';
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === '\\') i++;
        value += inner[i] ?? '';
        i++;
      }
      items.push(value);
      i += 2; // closing quote and comma
    } else {
      const comma = inner.indexOf(',', i);
      const end = comma === -1 ? inner.length : comma;
      const token = inner.slice(i, end);
      items.push(token === 'NULL' ? null : token);
      i = end + 1;
    }
  }
  return items;
}

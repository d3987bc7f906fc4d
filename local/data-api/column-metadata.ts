import { ARRAY_ELEMENT, type ColumnDescription, FLOAT_OIDS, INTEGER_OIDS, OID } from './values';

/** A column's `columnMetadata` entry. */
export interface ColumnMetadata {
  readonly name: string;
  readonly label: string;
  readonly type: number;
  readonly typeName: string;
  readonly schemaName: string;
  readonly tableName: string;
  readonly isAutoIncrement: boolean;
  readonly isSigned: boolean;
  readonly isCurrency: boolean;
  readonly isCaseSensitive: boolean;
  readonly nullable: number;
  readonly precision: number;
  readonly scale: number;
  readonly arrayBaseColumnType: number;
}

// PostgreSQL type name and java.sql.Types code, as the PostgreSQL JDBC driver behind the Data API reports them.
const TYPE_INFO: Readonly<Record<number, readonly [string, number]>> = {
  [OID.BOOL]: ['bool', -7],
  [OID.BYTEA]: ['bytea', -2],
  [OID.CHAR]: ['char', 1],
  [OID.NAME]: ['name', 12],
  [OID.INT8]: ['int8', -5],
  [OID.INT2]: ['int2', 5],
  [OID.INT4]: ['int4', 4],
  [OID.TEXT]: ['text', 12],
  [OID.JSON]: ['json', 1111],
  [OID.FLOAT4]: ['float4', 7],
  [OID.FLOAT8]: ['float8', 8],
  [OID.BPCHAR]: ['bpchar', 1],
  [OID.VARCHAR]: ['varchar', 12],
  [OID.DATE]: ['date', 91],
  [OID.TIME]: ['time', 92],
  [OID.TIMESTAMP]: ['timestamp', 93],
  [OID.TIMESTAMPTZ]: ['timestamptz', 93],
  [OID.NUMERIC]: ['numeric', 2],
  [OID.UUID]: ['uuid', 1111],
  [OID.JSONB]: ['jsonb', 1111],
};

/** Builds `columnMetadata` for `includeResultMetadata`. */
export function columnMetadata(columns: readonly ColumnDescription[]): ColumnMetadata[] {
  return columns.map(({ name, dataTypeID }) => {
    const element = ARRAY_ELEMENT[dataTypeID];
    const [typeName, type] =
      element !== undefined
        ? [`_${TYPE_INFO[element]?.[0] ?? 'unknown'}`, 2003]
        : (TYPE_INFO[dataTypeID] ?? ['unknown', 1111]);
    const numeric = INTEGER_OIDS.has(dataTypeID) || FLOAT_OIDS.has(dataTypeID) || dataTypeID === OID.NUMERIC;
    return {
      name,
      label: name,
      type,
      typeName,
      schemaName: '',
      tableName: '',
      isAutoIncrement: false,
      isSigned: numeric,
      isCurrency: false,
      isCaseSensitive: [OID.TEXT, OID.VARCHAR, OID.BPCHAR, OID.CHAR, OID.NAME].includes(dataTypeID as 25),
      nullable: 2, // columnNullableUnknown: a result column is not always a table column
      precision: 0,
      scale: 0,
      arrayBaseColumnType: element !== undefined ? (TYPE_INFO[element]?.[1] ?? 1111) : 0,
    };
  });
}

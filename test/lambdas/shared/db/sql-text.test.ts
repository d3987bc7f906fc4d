import { scanSql, splitStatements } from '../../../../lambdas/shared/db/sql-text';

describe('splitStatements', () => {
  test('splits at top-level semicolons and drops empty and comment-only statements', () => {
    expect(splitStatements('CREATE TABLE a (x int);\n\n-- just a comment\n;SELECT 1;')).toEqual([
      'CREATE TABLE a (x int)',
      'SELECT 1',
    ]);
  });

  test('keeps semicolons inside strings, comments and dollar-quoted bodies', () => {
    const fn = "CREATE FUNCTION f() RETURNS text AS $body$ BEGIN RETURN 'a;b'; END $body$ LANGUAGE plpgsql";
    const statements = splitStatements(`${fn};\nCOMMENT ON TABLE t IS 'x; y'; /* a; b */ SELECT ';'`);
    expect(statements).toEqual([fn, "COMMENT ON TABLE t IS 'x; y'", "/* a; b */ SELECT ';'"]);
  });

  test('keeps the last statement when it has no semicolon', () => {
    expect(splitStatements('SELECT 1')).toEqual(['SELECT 1']);
  });
});

describe('scanSql', () => {
  test('gives back the input when its segments are joined', () => {
    const sql = "SELECT 'a''b', \"q\"\"x\", $$ $ $$, E'\\'' -- c\n/* d /* e */ */ FROM t";
    expect(
      scanSql(sql)
        .map((s) => s.text)
        .join(''),
    ).toBe(sql);
  });
});

import { compileNamedParameters } from '../../../../lambdas/shared/db/named-parameters';

describe('compileNamedParameters', () => {
  test('numbers parameters in order of first use and reuses the number for a repeated name', () => {
    const { text, names } = compileNamedParameters('SELECT :a, :b_2, :a WHERE x = :b_2');
    expect(text).toBe('SELECT $1, $2, $1 WHERE x = $2');
    expect(names).toEqual(['a', 'b_2']);
  });

  test('keeps casts after a parameter and on their own', () => {
    const { text, names } = compileNamedParameters(
      'SELECT * FROM jsonb_to_recordset(:rows::jsonb), now()::date',
    );
    expect(text).toBe('SELECT * FROM jsonb_to_recordset($1::jsonb), now()::date');
    expect(names).toEqual(['rows']);
  });

  test('ignores colons inside strings, identifiers, comments and dollar-quoted bodies', () => {
    const sql = [
      "SELECT ':notme', 'it''s :no', E'\\' :nope', \":col\"",
      '-- :comment',
      '/* :block /* :nested */ still :inside */',
      '$$ :dollar $$, $tag$ :tagged $tag$, :real',
    ].join('\n');
    const { text, names } = compileNamedParameters(sql);
    expect(names).toEqual(['real']);
    expect(text).toBe(sql.replace(':real', '$1'));
  });

  test('leaves positional placeholders and array slices alone', () => {
    const { text, names } = compileNamedParameters('SELECT a[1:2], $1 FROM t WHERE b = :b');
    expect(text).toBe('SELECT a[1:2], $1 FROM t WHERE b = $1');
    expect(names).toEqual(['b']);
  });
});

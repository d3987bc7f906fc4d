import { scanSql } from './sql-text';

/**
 * Turns `:name` parameters into PostgreSQL's positional `$1..$n`, as the Data API does server-side.
 * Only code is rewritten (see {@link scanSql}): `::type` casts, strings, quoted identifiers,
 * dollar-quoted bodies and comments are left alone.
 */
export interface CompiledStatement {
  /** SQL with `$n` placeholders. */
  readonly text: string;
  /** Parameter names in placeholder order: `names[0]` fills `$1`. */
  readonly names: readonly string[];
}

/** Compiles `:name` placeholders to `$n`; the same name always gets the same number. */
export function compileNamedParameters(sql: string): CompiledStatement {
  const names: string[] = [];
  const numbers = new Map<string, number>();
  const number = (name: string) => {
    let n = numbers.get(name);
    if (n === undefined) {
      names.push(name);
      n = names.length;
      numbers.set(name, n);
    }
    return n;
  };
  const text = scanSql(sql)
    .map((segment) =>
      segment.kind === 'literal'
        ? segment.text
        : segment.text.replace(/(::)|(?<![A-Za-z0-9_:]):([A-Za-z_][A-Za-z0-9_]*)/g, (match, cast, name) =>
            cast ? match : `$${number(name)}`,
          ),
    )
    .join('');
  return { text, names };
}

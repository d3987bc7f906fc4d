/**
 * Turns `:name` parameters into PostgreSQL's positional `$1..$n`, as the Data API does server-side.
 *
 * Skips what is not a parameter: `::type` casts, single-quoted strings (with `''` escapes and `E'..'`
 * backslash escapes), double-quoted identifiers, dollar-quoted bodies (`$$..$$`, `$tag$..$tag$`),
 * `--` line comments and `/* *\/` block comments (nested, as PostgreSQL allows).
 */
export interface CompiledStatement {
  /** SQL with `$n` placeholders. */
  readonly text: string;
  /** Parameter names in placeholder order: `names[0]` fills `$1`. */
  readonly names: readonly string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/** Compiles `:name` placeholders to `$n`; the same name always gets the same number. */
export function compileNamedParameters(sql: string): CompiledStatement {
  const names: string[] = [];
  const numbers = new Map<string, number>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'") {
      const escaped = i > 0 && /[eE]/.test(sql[i - 1]!) && !NAME_PART.test(sql[i - 2] ?? ' ');
      const end = endOfQuoted(sql, i, "'", escaped);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '"') {
      const end = endOfQuoted(sql, i, '"', false);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      const end = newline === -1 ? sql.length : newline;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && next === '*') {
      const end = endOfBlockComment(sql, i);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '$' && !NAME_PART.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close === -1 ? sql.length : close + tag[0].length;
        out += sql.slice(i, end);
        i = end;
      } else {
        out += ch;
        i += 1;
      }
    } else if (ch === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (ch === ':' && next !== undefined && NAME_START.test(next)) {
      let end = i + 1;
      while (end < sql.length && NAME_PART.test(sql[end]!)) end += 1;
      const name = sql.slice(i + 1, end);
      let n = numbers.get(name);
      if (n === undefined) {
        names.push(name);
        n = names.length;
        numbers.set(name, n);
      }
      out += `$${n}`;
      i = end;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { text: out, names };
}

function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
    } else if (ch === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth += 1;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/**
 * A lexical scan of PostgreSQL text: splits SQL into code and the parts where `:`, `;` and `$` mean
 * nothing (string literals, quoted identifiers, dollar-quoted bodies, comments). The parameter
 * compiler and the migration splitter both walk the code parts only.
 */
export interface SqlSegment {
  /** `code` is SQL proper; `literal` is a string, quoted identifier, dollar body or comment. */
  readonly kind: 'code' | 'literal';
  readonly text: string;
}

const NAME_PART = /[A-Za-z0-9_]/;

/** Splits SQL into code and literal segments; concatenating the texts gives the input back. */
export function scanSql(sql: string): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let code = '';
  const literal = (end: number, start: number) => {
    if (code) segments.push({ kind: 'code', text: code });
    code = '';
    segments.push({ kind: 'literal', text: sql.slice(start, end) });
    return end;
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'") {
      const backslashes = i > 0 && /[eE]/.test(sql[i - 1]!) && !NAME_PART.test(sql[i - 2] ?? ' ');
      i = literal(endOfQuoted(sql, i, "'", backslashes), i);
    } else if (ch === '"') {
      i = literal(endOfQuoted(sql, i, '"', false), i);
    } else if (ch === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      i = literal(newline === -1 ? sql.length : newline, i);
    } else if (ch === '/' && next === '*') {
      i = literal(endOfBlockComment(sql, i), i);
    } else if (
      ch === '$' &&
      !NAME_PART.test(sql[i - 1] ?? ' ') &&
      /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i))
    ) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = literal(close === -1 ? sql.length : close + tag.length, i);
    } else {
      code += ch;
      i += 1;
    }
  }
  if (code) segments.push({ kind: 'code', text: code });
  return segments;
}

/**
 * Splits a script into statements at top-level semicolons, dropping empty ones and comment-only ones
 * (the Data API runs one statement per call).
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let hasCode = false;
  for (const segment of scanSql(script)) {
    if (segment.kind === 'literal') {
      current += segment.text;
      if (!segment.text.startsWith('--') && !segment.text.startsWith('/*')) hasCode = true;
      continue;
    }
    const parts = segment.text.split(';');
    parts.forEach((part, index) => {
      if (index > 0) {
        if (hasCode) statements.push(current.trim());
        current = '';
        hasCode = false;
      }
      current += part;
      if (part.trim()) hasCode = true;
    });
  }
  if (hasCode) statements.push(current.trim());
  return statements;
}

function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === quote && sql[i + 1] === quote) i += 2;
    else if (ch === quote) return i + 1;
    else i += 1;
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

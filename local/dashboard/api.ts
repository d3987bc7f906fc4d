import * as z from 'zod';
import { parseDbTimestampOrNull, type SqlExecutor } from '../../lambdas/shared/db/executor';
import type { DashboardDefinition } from '../../lib/dashboard/definition';
import { optionsQuery, type Selection, visualQuery } from './sql';
import type { ControlOptions, SheetAnswer, VisualRows } from './wire';

/**
 * The dashboard's JSON API on the local server: `GET /api/dashboard` gives the definition (sheets,
 * visuals, layout, controls), `GET /api/sheets/<id>?client=&queue=&channel=&from=&to=` the rows of
 * every visual of one sheet. The query string is validated (400 with what is wrong); it only ever
 * becomes bound parameters.
 */

const DAY_MS = 86_400_000;
const isoDay = z.iso.date({ message: 'expected a UTC day as YYYY-MM-DD' });
const text = z.string().min(1).max(200);

const SelectionSchema = z
  .strictObject({
    client: text.optional(),
    queue: text.optional(),
    channel: z.enum(['VOICE', 'CHAT', 'TASK'], { message: 'expected VOICE, CHAT or TASK' }).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.from === undefined) !== (s.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'expected both from and to, or neither' });
    } else if (s.from && s.to) {
      const span = (Date.parse(s.to) - Date.parse(s.from)) / DAY_MS;
      if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'expected to on or after from' });
      if (span > 92) ctx.addIssue({ code: 'custom', path: ['to'], message: 'expected at most 93 days' });
    }
  });

/** An answer: status and JSON body. */
export interface ApiAnswer {
  readonly statusCode: 200 | 400 | 404;
  readonly body: unknown;
}

const cell = (value: unknown): string | number | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  return String(value);
};

/** The rows of every visual of a sheet, or 400 / 404 saying what is wrong. */
export async function sheetRows(
  db: SqlExecutor,
  definition: DashboardDefinition,
  sheetId: string,
  query: Readonly<Record<string, string | undefined>>,
  now: Date,
): Promise<ApiAnswer> {
  const sheet = definition.sheets.find((s) => s.id === sheetId);
  if (!sheet) {
    return {
      statusCode: 404,
      body: {
        message: `no sheet ${sheetId}: expected one of ${definition.sheets.map((s) => s.id).join(', ')}`,
      },
    };
  }
  const parsed = SelectionSchema.safeParse(query);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) =>
        i.code === 'unrecognized_keys'
          ? `unknown parameter(s) ${i.keys.join(', ')}; expected client, queue, channel, from, to`
          : `${i.path.join('.')}: ${i.message}`,
      )
      .join('; ');
    return { statusCode: 400, body: { message } };
  }
  const selection: Selection = parsed.data;
  const visuals: Record<string, VisualRows> = {};
  for (const visual of sheet.visuals) {
    const { sql, params } = visualQuery(visual, definition.controls, selection, now);
    const { rows } = await db.query(sql, params);
    const groups = [...visual.dimensions, ...(visual.time ? [visual.time] : [])];
    visuals[visual.id] = {
      columns: [...groups, ...visual.measures.map((m) => m.label)],
      rows: rows.map((row) => [
        ...groups.map((g) => {
          const value = row[g];
          const time = g === visual.time ? parseDbTimestampOrNull(value) : null;
          return time ? time.toISOString() : cell(value);
        }),
        ...visual.measures.map((_, i) => {
          const value = row[`m${i}`];
          return value === null || value === undefined ? null : Number(value);
        }),
      ]),
    };
  }
  const body: SheetAnswer = { sheet: sheet.id, at: now.toISOString(), visuals };
  return { statusCode: 200, body };
}

/** Most choices one control lists. */
const MAX_OPTIONS = 1000;

/** Per values control, the distinct values of its options column (what its drop-down lists). */
export async function controlOptions(
  db: SqlExecutor,
  definition: DashboardDefinition,
): Promise<ControlOptions> {
  const options: Record<string, string[]> = {};
  for (const control of definition.controls) {
    if (!control.options) continue;
    const { sql } = optionsQuery(control.options, MAX_OPTIONS);
    const { rows } = await db.query<{ value: unknown }>(sql);
    options[control.id] = rows.flatMap((r) =>
      r.value === null || r.value === undefined ? [] : [String(r.value)],
    );
  }
  return options;
}

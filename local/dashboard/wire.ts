/**
 * What the dashboard's JSON API answers, shared by the server (api.ts) and the page (page/app.ts):
 * plain types, no imports, so the browser bundle takes nothing else from the server side.
 */

/** One visual's rows: its grouping columns, then one value per measure (null: no value). */
export interface VisualRows {
  readonly columns: readonly string[];
  readonly rows: readonly (string | number | null)[][];
}

/** `GET /api/sheets/<id>`: every visual's rows at `at` (the server's now). */
export interface SheetAnswer {
  readonly sheet: string;
  readonly at: string;
  readonly visuals: Readonly<Record<string, VisualRows>>;
}

/** `GET /api/options`: per values control, the values a reader can choose. */
export type ControlOptions = Readonly<Record<string, readonly string[]>>;

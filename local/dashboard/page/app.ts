import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import type { Control, DashboardDefinition, Sheet, Visual } from '../../../lib/dashboard/definition';
import type { ControlOptions, SheetAnswer, VisualRows } from '../wire';
import { TimeChart } from './chart';
import { columnHeading, formatValue, thresholdState } from './format';

/**
 * The live dashboard of `npm start`: reads the definition (`/api/dashboard`), renders the chosen sheet
 * on its 12-column grid, and re-reads its rows (`/api/sheets/<id>`) and `/check` every refresh without
 * reloading. Everything shown is built with DOM nodes and textContent (names come from Connect).
 */

interface State {
  definition: DashboardDefinition;
  options: ControlOptions;
  selection: Record<string, string>;
  sheet?: Sheet;
  charts: Map<string, TimeChart>;
  timer?: number;
  /** Increases with each read: only the latest read's answer is shown and schedules the next one. */
  request: number;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
};

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  return { status: response.status, body: (await response.json()) as T };
}

async function main(): Promise<void> {
  const [definition, options] = await Promise.all([
    getJson<DashboardDefinition>('/api/dashboard'),
    getJson<ControlOptions>('/api/options'),
  ]);
  const state: State = {
    definition: definition.body,
    options: options.body,
    selection: {},
    charts: new Map(),
    request: 0,
  };
  renderTabs(state);
  renderControls(state);
  window.addEventListener('hashchange', () => show(state));
  await show(state);
}

function sheetFromHash(definition: DashboardDefinition): Sheet {
  const id = location.hash.replace(/^#/, '');
  return definition.sheets.find((s) => s.id === id) ?? definition.sheets[0]!;
}

function renderTabs(state: State): void {
  const nav = $('tabs');
  for (const sheet of state.definition.sheets) {
    nav.append(el('a', { href: `#${sheet.id}`, 'data-sheet': sheet.id }, sheet.title));
  }
}

function renderControls(state: State): void {
  const form = $('controls');
  for (const control of state.definition.controls) form.append(controlNode(state, control));
}

function controlNode(state: State, control: Control): HTMLElement {
  const label = el('label', { 'data-control': control.id });
  label.append(el('span', {}, control.title));
  if (control.kind === 'values') {
    const select = el('select', { name: control.id });
    select.append(el('option', { value: '' }, 'All'));
    for (const value of state.options[control.id] ?? []) select.append(el('option', { value }, value));
    select.addEventListener('change', () => {
      if (select.value) state.selection[control.id] = select.value;
      else delete state.selection[control.id];
      void refresh(state);
    });
    label.append(select);
    return label;
  }
  const from = el('input', { type: 'date', name: 'from', 'aria-label': `${control.title} from` });
  const to = el('input', { type: 'date', name: 'to', 'aria-label': `${control.title} to` });
  const changed = () => {
    if (from.value && to.value) {
      state.selection.from = from.value;
      state.selection.to = to.value;
    } else {
      delete state.selection.from;
      delete state.selection.to;
    }
    void refresh(state);
  };
  from.addEventListener('change', changed);
  to.addEventListener('change', changed);
  label.append(from, el('span', {}, 'to'), to);
  return label;
}

/** Shows the sheet the address names, and starts its refresh loop. */
async function show(state: State): Promise<void> {
  const sheet = sheetFromHash(state.definition);
  window.clearTimeout(state.timer);
  for (const chart of state.charts.values()) chart.destroy();
  state.charts.clear();
  state.sheet = sheet;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#tabs a')) {
    a.classList.toggle('active', a.dataset.sheet === sheet.id);
  }
  // The date range only narrows visuals over past days.
  $('controls')
    .querySelector<HTMLElement>('[data-control="dates"]')
    ?.toggleAttribute('hidden', !sheet.visuals.some((v) => v.filters?.some((f) => 'lastDays' in f)));
  const grid = $('sheet');
  grid.replaceChildren();
  grid.dataset.sheet = sheet.id;
  delete grid.dataset.at;
  for (const place of sheet.layout) {
    const visual = sheet.visuals.find((v) => v.id === place.visual)!;
    const panel = el('section', { class: `panel ${visual.kind}`, 'data-visual': visual.id });
    panel.style.gridColumn = `${place.column + 1} / span ${place.width}`;
    panel.style.gridRow = `${place.row + 1} / span ${place.height}`;
    const body = el('div', { class: 'body' });
    panel.append(el('h2', {}, visual.title), body);
    grid.append(panel);
    if (visual.kind === 'line' || visual.kind === 'bar')
      state.charts.set(visual.id, new TimeChart(visual, body));
  }
  await refresh(state);
}

/** Reads the sheet's rows and /check (through /api/freshness), shows them, and schedules the next read at the sheet's refresh. */
async function refresh(state: State): Promise<void> {
  const request = ++state.request;
  const sheet = state.sheet!;
  window.clearTimeout(state.timer);
  const query = new URLSearchParams(state.selection).toString();
  try {
    const [rows, check] = await Promise.all([
      getJson<SheetAnswer | { message: string }>(`/api/sheets/${sheet.id}${query ? `?${query}` : ''}`),
      getJson<{ checkStatus: number; check: CheckBody }>('/api/freshness'),
    ]);
    // A newer read (a control change, another sheet) supersedes this one.
    if (request !== state.request) return;
    showBanner(check.body.checkStatus, check.body.check);
    if ('visuals' in rows.body) {
      for (const visual of sheet.visuals) {
        const data = rows.body.visuals[visual.id];
        if (data) showVisual(state, visual, data, Date.parse(rows.body.at));
      }
      $('sheet').dataset.at = rows.body.at;
      $('error').hidden = true;
    } else {
      showError(rows.body.message);
    }
    document.body.dataset.rendered = 'true';
    if (!performance.getEntriesByName('dashboard-rendered').length) performance.mark('dashboard-rendered');
  } catch (error) {
    if (request !== state.request) return;
    showError(`cannot read the dashboard from the local server (${String(error)}); retrying`);
    showBanner(0, undefined);
  }
  if (request !== state.request) return;
  const seconds = sheet.refreshSeconds ?? 0;
  window.clearTimeout(state.timer);
  if (seconds > 0) state.timer = window.setTimeout(() => void refresh(state), seconds * 1000);
}

const DAY_S = 86_400;

/**
 * A chart's x range in epoch seconds: today so far (UTC, as the filters) for today's curves, the chosen
 * or default days for past days, the data's own span otherwise.
 */
function timeWindow(
  visual: Visual,
  data: VisualRows,
  atMs: number,
  selection: Readonly<Record<string, string>>,
): { min: number; max: number } {
  const at = atMs / 1000;
  const dayStart = Math.floor(at / DAY_S) * DAY_S;
  const filter = visual.filters?.find((f) => f.column === visual.time && !('equals' in f));
  const times = data.rows.map(
    (r) => Date.parse(String(r[data.columns.length - visual.measures.length - 1])) / 1000,
  );
  const first = Math.min(...times, dayStart);
  if (filter && 'today' in filter) return { min: dayStart, max: Math.max(at, ...times) };
  // Bars by day are centred on their day: half a day either side.
  const pad = visual.time?.startsWith('day') ? DAY_S / 2 : 0;
  if (filter && 'lastDays' in filter && selection.from && selection.to) {
    // The chosen dates replace the default window.
    return { min: Date.parse(selection.from) / 1000 - pad, max: Date.parse(selection.to) / 1000 + pad };
  }
  if (filter && 'lastDays' in filter) {
    return { min: Math.min(first, dayStart - (filter.lastDays - 1) * DAY_S) - pad, max: dayStart + pad };
  }
  return { min: Math.min(...times), max: Math.max(...times) };
}

function showError(message: string): void {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

function showVisual(state: State, visual: Visual, data: VisualRows, at: number): void {
  const body = document.querySelector<HTMLElement>(`[data-visual="${visual.id}"] .body`)!;
  const chart = state.charts.get(visual.id);
  if (chart) chart.update(data, timeWindow(visual, data, at, state.selection));
  else if (visual.kind === 'kpi') showKpis(body, visual, data);
  else showTable(body, visual, data);
}

/** A measure's cell: the formatted value, the raw value and its threshold colour as data attributes. */
function valueNode(
  tag: 'td' | 'div',
  visual: Visual,
  index: number,
  value: string | number | null,
): HTMLElement {
  const measure = visual.measures[index]!;
  const number = typeof value === 'number' ? value : null;
  const node = el(tag, { class: 'value', 'data-measure': measure.label, 'data-value': String(number) });
  node.textContent = formatValue(number, measure.unit);
  const threshold = visual.thresholds?.find((t) => t.measure === measure.label);
  if (threshold) node.dataset.state = thresholdState(number, threshold);
  return node;
}

function showKpis(body: HTMLElement, visual: Visual, data: VisualRows): void {
  const row = data.rows[0] ?? [];
  body.replaceChildren(
    ...visual.measures.map((m, i) => {
      const tile = el('div', { class: 'kpi' });
      tile.append(valueNode('div', visual, i, row[i] ?? null), el('div', { class: 'label' }, m.label));
      return tile;
    }),
  );
}

function showTable(body: HTMLElement, visual: Visual, data: VisualRows): void {
  const groups = data.columns.length - visual.measures.length;
  const table = el('table');
  const head = el('tr');
  data.columns.forEach((c, i) => {
    head.append(el('th', { class: i < groups ? 'dim' : 'num' }, i < groups ? columnHeading(c) : c));
  });
  const thead = el('thead');
  thead.append(head);
  table.append(thead);
  const rows = el('tbody');
  for (const row of data.rows) {
    const tr = el('tr');
    row.forEach((value, i) => {
      tr.append(
        i < groups
          ? el('td', {}, value === null ? '' : String(value))
          : valueNode('td', visual, i - groups, value),
      );
    });
    rows.append(tr);
  }
  if (data.rows.length === 0) {
    const tr = el('tr');
    tr.append(el('td', { colspan: String(data.columns.length), class: 'empty' }, 'No data yet'));
    rows.append(tr);
  }
  table.append(rows);
  body.replaceChildren(table);
}

/** The part of `/check`'s answer the banner shows (docs/check.md). */
interface CheckBody {
  readonly status?: string;
  readonly checkedAt?: string;
  readonly message?: string;
  readonly feeds?: readonly {
    readonly clientName: string;
    readonly feed: string;
    readonly status: string;
    readonly ageSeconds: number | null;
  }[];
}

function showBanner(status: number, body: CheckBody | undefined): void {
  const banner = $('freshness');
  const feeds = body?.feeds ?? [];
  const stale = feeds.filter((f) => f.status === 'stale');
  const closed = new Set(feeds.filter((f) => f.status === 'closed').map((f) => f.clientName));
  if (status === 200) {
    const newest = Math.min(...feeds.map((f) => f.ageSeconds ?? Number.POSITIVE_INFINITY));
    banner.dataset.status = 'ok';
    banner.textContent =
      closed.size > 0
        ? `Data fresh; closed now (hours of operation): ${[...closed].join(', ')}`
        : `Data fresh: all ${feeds.length} feeds ok, newest data ${formatValue(newest, 'seconds')} old`;
  } else if (status === 503) {
    banner.dataset.status = 'stale';
    banner.textContent = stale.length
      ? `Data stale: ${stale.map((f) => `${f.feed} (${f.clientName}) ${f.ageSeconds === null ? 'has not succeeded yet' : `last succeeded ${formatValue(f.ageSeconds, 'seconds')} ago`}`).join('; ')}`
      : `Data stale: ${body?.message ?? 'the check failed'}`;
  } else {
    banner.dataset.status = 'unreachable';
    banner.textContent = status
      ? `Check answered ${status}: ${body?.message ?? ''}`
      : 'The local server does not answer';
  }
}

void main().catch((error: unknown) => showError(`the dashboard did not start: ${String(error)}`));

import type { MalformedOptions } from './faults';
import type { Rng } from './random';

const LONG_NAME = 'Ünïcödé 客服センター Ωμέγα ☎️ '.repeat(12);
const OPTIONAL_MEMBERS = new Set(['LastModifiedTime', 'LastModifiedRegion', 'ApproximateTotalCount', 'Arn']);

/**
 * Rewrites an answer into a malformed but parseable one: null metric values, missing optional members,
 * metric names the SDK's enums do not know, very long non-ASCII names.
 */
export function malform(response: unknown, options: MalformedOptions, rng: Rng): unknown {
  const walk = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) {
      const items = value.map((v) => walk(v, key));
      if (key === 'Collections' && options.unknownMetricNames) {
        items.push({ Metric: { Name: 'SIMULATOR_FUTURE_METRIC', Unit: 'COUNT' }, Value: 1 });
      }
      return items;
    }
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (options.missingOptionalFields && OPTIONAL_MEMBERS.has(k) && key !== 'root') continue;
      if (k === 'Value' && options.nullValues && rng.chance(options.nullValues)) out[k] = null;
      else if (
        options.longNonAsciiNames &&
        (k === 'Name' || k === 'Username' || k === 'StatusName') &&
        key !== 'Metric'
      ) {
        out[k] = `${String(v)} ${LONG_NAME}`;
      } else out[k] = walk(v, k);
    }
    return out;
  };
  return walk(response, 'root');
}

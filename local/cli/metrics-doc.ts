import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderMetricsDoc } from '../../lib/metrics-doc';

/** `npm run docs:metrics`: writes docs/metrics.md from lib/reporting-columns.ts. */
const target = path.join(__dirname, '..', '..', 'docs', 'metrics.md');
writeFileSync(target, renderMetricsDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);

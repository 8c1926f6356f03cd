/**
 * Writes grafana/dashboards/*.json from the typed sources in grafana/src (checked by tsc
 * against @grafana/schema's Dashboard). Run after editing a dashboard:
 *
 *   node grafana/build-dashboards.ts
 *
 * test/grafana/dashboards.test.ts fails when the committed JSON differs from this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderDashboards } from './src/render-dashboards.ts';

const dir = new URL('./dashboards/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [file, json] of Object.entries(renderDashboards())) {
  writeFileSync(new URL(file, dir), json);
  console.log(`grafana/dashboards/${file}`);
}

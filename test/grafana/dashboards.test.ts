import { readdirSync, readFileSync } from 'node:fs';
import type { Dashboard, Panel } from '@grafana/schema';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, renderDashboards } from '../../grafana/src/render-dashboards.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const datasources = parse(read('grafana/provisioning/datasources/datasources.yaml')).datasources as { uid: string; type: string }[];

// The dashboards are authored in TypeScript as `Dashboard` (grafana/src), so `tsc -p
// tsconfig.json` (which reaches them through this file's import) type-checks every one
// against @grafana/schema; these tests tie the committed JSON to those typed sources.
const typed: Record<string, Dashboard> = DASHBOARDS;
const panelsOf = (d: Dashboard) => (d.panels ?? []) as Panel[];

describe('grafana/dashboards', () => {
  it('should hold exactly the JSON that grafana/build-dashboards.ts generates from the typed sources', () => {
    const rendered = renderDashboards();
    const committed = Object.fromEntries(readdirSync(new URL('grafana/dashboards/', root)).map((f) => [f, read(`grafana/dashboards/${f}`)]));

    expect(Object.keys(committed).sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, json] of Object.entries(rendered)) expect(committed[file], `${file} is stale: run node grafana/build-dashboards.ts`).toBe(json);
  });

  it('should be the four dashboards of the issue, with unique uids', () => {
    expect(Object.values(typed).map((d) => d.title)).toEqual(['User journeys', 'API performance', 'Errors and security', 'Audit trail']);
    const uids = Object.values(typed).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  describe.each(Object.entries(typed))('%s', (_file, d) => {
    it('should have service, tenant and user variables', () => {
      const names = (d.templating?.list ?? []).map((v) => v.name);

      expect(names).toEqual(expect.arrayContaining(['service', 'tenant', 'user']));
    });

    it('should query only provisioned datasources', () => {
      const uids = new Set(datasources.map((ds) => ds.uid));
      for (const p of panelsOf(d)) {
        expect(uids.has(p.datasource?.uid ?? ''), `${p.title}: ${p.datasource?.uid}`).toBe(true);
        for (const t of p.targets ?? []) expect(uids.has((t.datasource as { uid: string }).uid), `${p.title}`).toBe(true);
      }
      for (const v of d.templating?.list ?? []) if (v.datasource) expect(uids.has(v.datasource.uid ?? ''), v.name).toBe(true);
    });

    it('should give every panel an id, a description and a place on the 24-column grid without overlaps', () => {
      const panels = panelsOf(d);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      const cells = new Set<string>();
      for (const p of panels) {
        expect(p.description, p.title).toBeTruthy();
        const { x, y, w, h } = p.gridPos!;
        expect(x + w, p.title).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
            cells.add(`${i},${j}`);
          }
        }
      }
    });

    it('should give every query a unique refId within its panel', () => {
      for (const p of panelsOf(d)) {
        const refIds = (p.targets ?? []).map((t) => t.refId);
        expect(new Set(refIds).size, p.title).toBe(refIds.length);
      }
    });
  });

  it('should load from the directory the provider reads and docker-compose mounts', () => {
    const provider = parse(read('grafana/provisioning/dashboards/dashboards.yaml')).providers[0];
    const grafana = parse(read('docker-compose.yml'), { merge: true }).services.grafana;

    expect(grafana.volumes).toContain(`./grafana/dashboards:${provider.options.path}:ro`);
    expect(grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${provider.options.path}/user-journeys.json`);
  });

  describe('Audit trail', () => {
    const audit = typed['audit-trail.json']!;
    const sqlOf = (p: Panel) => (p.targets ?? []).map((t) => String(t.rawSql ?? '')).join('\n');

    it('should scope every audit table query to the selected tenants, users, resources and actions', () => {
      for (const p of panelsOf(audit)) {
        const q = sqlOf(p);
        if (!q.includes('FROM activity_log\n') && !q.includes('FROM activity_log WHERE')) continue;
        if (q.includes("action = 'VERIFY'")) continue; // the verification row is the system's, not a tenant's
        for (const filter of ['tenant_id IN ($tenant)', 'action IN ($action)', '${user:sqlstring}', '${resource_type:sqlstring}', '${resource_id:sqlstring}']) {
          expect(q, p.title).toContain(filter);
        }
      }
    });

    it('should pass free-text variables to SQL only through the sqlstring format', () => {
      for (const p of panelsOf(audit)) expect(sqlOf(p), p.title).not.toMatch(/\$(user|resource_type|resource_id)\b/);
    });
  });
});

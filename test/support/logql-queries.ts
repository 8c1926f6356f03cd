import { readFileSync } from 'node:fs';
import { parser } from '@grafana/lezer-logql';
import { parse } from 'yaml';
import { DASHBOARDS } from '../../grafana/src/render-dashboards.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** One LogQL expression shipped to Grafana, and where it is. */
export interface ShippedQuery {
  where: string;
  expr: string;
}

/**
 * Every LogQL expression the stack ships: the Loki targets of every dashboard panel
 * and variable, the Loki queries of the alert rules, and the Tempo datasource's
 * trace-to-logs query.
 */
export function shippedLogQL(): ShippedQuery[] {
  const out: ShippedQuery[] = [];
  for (const [file, d] of Object.entries(DASHBOARDS)) {
    for (const panel of d.panels ?? []) {
      for (const t of ('targets' in panel ? panel.targets : undefined) ?? []) {
        const ds = (t.datasource ?? panel.datasource) as { type?: string } | undefined;
        if (ds?.type === 'loki') out.push({ where: `${file} › ${panel.title} › ${String(t.refId)}`, expr: String(t.expr) });
      }
    }
  }
  const rules = parse(read('grafana/provisioning/alerting/alert-rules.yaml'));
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      for (const q of rule.data) if (q.datasourceUid === 'loki') out.push({ where: `alert ${rule.uid} › ${q.refId}`, expr: q.model.expr });
    }
  }
  const datasources = parse(read('grafana/provisioning/datasources/datasources.yaml'));
  const tempo = datasources.datasources.find((d: { type: string }) => d.type === 'tempo');
  // Grafana's provisioning unescapes `$$` to `$` before the datasource sees the query.
  out.push({ where: 'datasources › Tempo › tracesToLogsV2', expr: tempo.jsonData.tracesToLogsV2.query.replaceAll('$$', '$') });
  return out;
}

/** What Grafana substitutes for each template variable before the query reaches Loki. */
const VARIABLE_VALUES: Record<string, string> = {
  service: '.+',
  tenant: '.*',
  user: '.*',
  session: '.*',
  route: '.*',
  action: '.*',
  resource_type: '.*',
  resource_id: '.*',
  slow_ms: '1000',
  very_slow_ms: '5000',
  __auto: '1m',
  __interval: '1m',
  __range: '1h',
  '__trace.traceId': '4bf92f3577b34da6a3ce929d0e0e4736',
};

/**
 * Interpolates Grafana template variables (`$x`, `${x}`, `${x:format}`) as Grafana
 * would for a typical selection. Throws on a variable it does not know, so a new one
 * is never silently parsed as something else.
 */
export function interpolate(expr: string): string {
  return expr.replace(/\$\{([\w.]+)(?::\w+)?\}|\$(\w+)/g, (_m, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = VARIABLE_VALUES[name];
    if (value === undefined) throw new Error(`unknown Grafana variable $${name} in ${expr}`);
    return value;
  });
}

/** The parse errors lezer-logql recovered from (it never throws: it inserts error nodes). */
export function logqlErrors(expr: string): string[] {
  const errors: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.to + 20)}…`);
    },
  });
  if (tree.topNode.name !== 'LogQL' || tree.topNode.firstChild?.name !== 'Expr' || tree.topNode.firstChild.to !== expr.length) {
    errors.push(`not one whole expression: ${tree.toString()}`);
  }
  return errors;
}

/** The names an expression matches on, by where LogQL looks them up. */
export interface LogQLFields {
  /** In stream selectors `{...}`: must be index labels. */
  streamLabels: string[];
  /** In label filters, `unwrap` and `by (...)`, except labels the query makes itself: must be stored. */
  fields: string[];
  /** Labels `label_format` makes, with the fields its template reads (any of which may be absent). */
  derived: Record<string, string[]>;
}

/** Walks the parse tree for the identifiers of selectors, label filters, unwrap, grouping and label_format. */
export function logqlFields(expr: string): LogQLFields {
  const streamLabels = new Set<string>();
  const fields = new Set<string>();
  const derived: Record<string, string[]> = {};
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === 'LabelFormatMatcher') {
        const target = node.node.getChild('Identifier');
        const source = node.node.getChild('String') ?? node.node.getChildren('Identifier')[1];
        if (target && source) {
          const text = expr.slice(source.from, source.to);
          const reads = source.name === 'String' ? [...text.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!) : [text];
          derived[expr.slice(target.from, target.to)] = [...new Set(reads)];
        }
        return false; // its identifiers are names it defines, not fields it filters on
      }
      if (node.name !== 'Identifier') return;
      const name = expr.slice(node.from, node.to);
      let inSelector = false;
      let inField = false;
      for (let p = node.node.parent; p; p = p.parent) {
        if (p.name === 'Selector') inSelector = true;
        if (p.name === 'LabelFilter' || p.name === 'UnwrapExpr' || p.name === 'Grouping') inField = true;
      }
      if (inSelector) streamLabels.add(name);
      else if (inField && name !== '__error__') fields.add(name);
    },
  });
  return { streamLabels: [...streamLabels], fields: [...fields].filter((f) => !(f in derived)), derived };
}

/** The value an expression requires of `activity_type` (`| activity_type="x"`), if exactly one. */
export function requiredActivityType(expr: string): string | undefined {
  const types = [...expr.matchAll(/\| activity_type="(\w+)"/g)].map((m) => m[1]!);
  return types.length === 1 && !/\bor\b/.test(expr) ? types[0] : undefined;
}

/**
 * Small typed builders for the otel-activity dashboards. Everything they return is
 * typed against `@grafana/schema` (the `Dashboard` model of Grafana 13 and the panel
 * option types of its core panels), so `tsc` rejects a dashboard Grafana would not
 * understand; `render-dashboards.ts` turns them into the JSON Grafana provisions.
 */
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  type Dashboard,
  type DataQuery,
  LegendDisplayMode,
  LogsDedupStrategy,
  LogsSortOrder,
  type Panel,
  PercentChangeColorMode,
  SortOrder,
  ThresholdsMode,
  TooltipDisplayMode,
  type VariableModel,
  VariableRefresh,
  VariableSort,
  VizOrientation,
} from '@grafana/schema';
import type { Options as LogsOptions } from '@grafana/schema/dist/esm/raw/composable/logs/panelcfg/x/LogsPanelCfg_types.gen';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/** The provisioned datasources (grafana/provisioning/datasources/datasources.yaml). */
export const LOKI = { type: 'loki', uid: 'loki' } as const;
export const POSTGRES = { type: 'grafana-postgresql-datasource', uid: 'audit-postgres' } as const;

/** A Loki query of a panel or an alert rule. */
export interface LokiQuery extends DataQuery {
  expr: string;
  queryType: 'range' | 'instant';
  legendFormat?: string;
  editorMode: 'code';
}

/** A SQL query of the Postgres datasource. */
export interface SqlQuery extends DataQuery {
  rawSql: string;
  format: 'table' | 'time_series';
  rawQuery: true;
  editorMode: 'code';
}

export function loki(expr: string, options: { legend?: string; instant?: boolean } = {}): Omit<LokiQuery, 'refId'> {
  const q: Omit<LokiQuery, 'refId'> = { datasource: LOKI, expr, queryType: options.instant ? 'instant' : 'range', editorMode: 'code' };
  if (options.legend !== undefined) q.legendFormat = options.legend;
  return q;
}

export function sql(rawSql: string, format: SqlQuery['format'] = 'table'): Omit<SqlQuery, 'refId'> {
  return { datasource: POSTGRES, rawSql, format, rawQuery: true, editorMode: 'code' };
}

type Query = Omit<LokiQuery, 'refId'> | Omit<SqlQuery, 'refId'>;

/** Where a panel sits on the 24-column grid. */
export interface Place {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface PanelBase {
  title: string;
  description: string;
  place: Place;
  queries: Query[];
  unit?: string;
}

function panel(type: string, base: PanelBase, options: object, custom: Record<string, unknown> = {}): Panel {
  const first = base.queries[0]!;
  return {
    type,
    title: base.title,
    description: base.description,
    gridPos: base.place,
    datasource: first.datasource as Panel['datasource'],
    targets: base.queries.map((q, i) => ({ ...q, refId: String.fromCharCode(65 + i) })),
    options: options as Record<string, unknown>,
    fieldConfig: { defaults: { ...(base.unit ? { unit: base.unit } : {}), custom }, overrides: [] },
  };
}

export function timeSeries(base: PanelBase & { stacked?: boolean; thresholdAt?: number }): Panel {
  const options: TimeSeriesOptions = {
    legend: { showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] },
    tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
  };
  const p = panel('timeseries', base, options, {
    drawStyle: base.stacked ? 'bars' : 'line',
    fillOpacity: base.stacked ? 80 : 10,
    stacking: { mode: base.stacked ? 'normal' : 'none', group: 'A' },
    ...(base.thresholdAt !== undefined ? { thresholdsStyle: { mode: 'line+area' } } : {}),
  });
  if (base.thresholdAt !== undefined) {
    p.fieldConfig!.defaults.thresholds = {
      mode: ThresholdsMode.Absolute,
      steps: [
        { color: 'transparent', value: null },
        { color: 'red', value: base.thresholdAt },
      ],
    };
  }
  return p;
}

export function logs(base: PanelBase & { oldestFirst?: boolean }): Panel {
  const options: LogsOptions = {
    showTime: true,
    showLabels: false,
    showCommonLabels: false,
    wrapLogMessage: true,
    prettifyLogMessage: false,
    enableLogDetails: true,
    showLogContextToggle: true,
    dedupStrategy: LogsDedupStrategy.none,
    sortOrder: base.oldestFirst ? LogsSortOrder.Ascending : LogsSortOrder.Descending,
  };
  return panel('logs', base, options);
}

export function stat(base: PanelBase): Panel {
  const options: StatOptions = {
    reduceOptions: { calcs: ['lastNotNull'], values: false, fields: '' },
    orientation: VizOrientation.Auto,
    colorMode: BigValueColorMode.Value,
    graphMode: BigValueGraphMode.Area,
    justifyMode: BigValueJustifyMode.Auto,
    textMode: BigValueTextMode.Auto,
    showPercentChange: false,
    percentChangeColorMode: PercentChangeColorMode.Standard,
    wideLayout: true,
  };
  return panel('stat', base, options);
}

export function table(base: PanelBase & { transformToRows?: boolean }): Panel {
  const options: TableOptions = { showHeader: true, frameIndex: 0 };
  const p = panel('table', base, options);
  // Instant Loki metric queries arrive as one frame per series: join them into rows.
  if (base.transformToRows) p.transformations = [{ id: 'reduce', options: { reducers: ['lastNotNull'], mode: 'seriesToRows' } }];
  return p;
}

/** The `service` variable: the service_name stream label (the only label the dashboards select streams by). */
export function serviceVariable(): VariableModel {
  return {
    name: 'service',
    label: 'Service',
    type: 'query',
    datasource: LOKI,
    query: 'label_values(service_name)',
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: VariableSort.alphabeticalAsc,
    multi: true,
    includeAll: true,
    allValue: '.+',
    current: { text: 'All', value: '$__all' },
  };
}

/**
 * A free-text regex variable for an identity field. Identity is structured metadata,
 * not a stream label (so Loki's label cardinality stays low), and Loki's label-values
 * API lists only labels: these are typed, defaulting to `.*` (everything).
 */
export function regexVariable(name: string, label: string, description: string): VariableModel {
  return { name, label, description, type: 'textbox', query: '.*', current: { text: '.*', value: '.*' } };
}

/** A hidden constant (e.g. the slow-request threshold in milliseconds). */
export function constantVariable(name: string, value: string, description: string): VariableModel {
  return { name, description, type: 'constant', query: value, hide: 2, current: { text: value, value } };
}

/** A Postgres-backed multi-select with All. */
export function sqlVariable(name: string, label: string, query: string): VariableModel {
  return {
    name,
    label,
    type: 'query',
    datasource: POSTGRES,
    query,
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: VariableSort.alphabeticalAsc,
    multi: true,
    includeAll: true,
    current: { text: 'All', value: '$__all' },
  };
}

/** A complete dashboard; panel ids are assigned in order. */
export function dashboard(spec: { uid: string; title: string; description: string; variables: VariableModel[]; panels: Panel[]; time?: string }): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['otel-activity'],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 42,
    version: 1,
    refresh: '30s',
    time: { from: spec.time ?? 'now-1h', to: 'now' },
    timezone: 'browser',
    links: [
      { title: 'otel-activity', type: 'dashboards', tags: ['otel-activity'], asDropdown: true, icon: 'external link', includeVars: true, keepTime: true, targetBlank: false, tooltip: '' },
    ],
    templating: { list: spec.variables },
    annotations: { list: [] },
    panels: spec.panels.map((p, i) => ({ ...p, id: i + 1 })),
  };
}

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ATTR_AUDIT_ACTION, ATTR_AUDIT_PERSISTED } from '../../src/semconv.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

type Section = 'receivers' | 'processors' | 'exporters' | 'extensions' | 'connectors';
interface CollectorConfig {
  extensions: Record<string, Record<string, any> | null>;
  receivers: Record<string, Record<string, any> | null>;
  processors: Record<string, Record<string, any> | null>;
  exporters: Record<string, Record<string, any> | null>;
  connectors?: Record<string, Record<string, any> | null>;
  service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
}
interface ComponentList {
  release: string;
  image: string;
  receivers: { type: string; deprecatedType?: string }[];
  processors: { type: string; deprecatedType?: string }[];
  exporters: { type: string; deprecatedType?: string }[];
  extensions: { type: string; deprecatedType?: string }[];
  connectors: { type: string; deprecatedType?: string }[];
}

const config = parse(read('otel-collector.yaml')) as CollectorConfig;
const release = JSON.parse(read('collector/otelcol/components.json')) as ComponentList;
const typeOf = (id: string) => id.split('/')[0]!;

describe('otel-collector.yaml', () => {
  describe('components', () => {
    it('should name only components defined in the file, in every pipeline', () => {
      for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
        for (const id of pipeline.receivers) expect(config.receivers, `${name}: receiver ${id}`).toHaveProperty([id]);
        for (const id of pipeline.processors ?? []) expect(config.processors, `${name}: processor ${id}`).toHaveProperty([id]);
        for (const id of pipeline.exporters) expect(config.exporters, `${name}: exporter ${id}`).toHaveProperty([id]);
      }
      for (const id of config.service.extensions) expect(config.extensions, `extension ${id}`).toHaveProperty([id]);
    });

    it('should use every component it defines', () => {
      const used = new Set([
        ...config.service.extensions,
        ...Object.values(config.service.pipelines).flatMap((p) => [...p.receivers, ...(p.processors ?? []), ...p.exporters]),
      ]);
      const defined = (['receivers', 'processors', 'exporters', 'extensions'] as const).flatMap((s) => Object.keys(config[s] ?? {}));

      expect(defined.filter((id) => !used.has(id))).toEqual([]);
    });

    it.each(['receivers', 'processors', 'exporters', 'extensions'] as Section[])(
      'should use only %s of the pinned contrib release, by their current names',
      (section) => {
        const current = new Set(release[section].map((c) => c.type));
        const deprecated = new Set(release[section].flatMap((c) => (c.deprecatedType ? [c.deprecatedType] : [])));

        for (const id of Object.keys(config[section] ?? {})) {
          expect(deprecated.has(typeOf(id)), `${id} uses a deprecated type name`).toBe(false);
          expect(current.has(typeOf(id)), `${id} is not a ${section.slice(0, -1)} of otelcol-contrib ${release.release}`).toBe(true);
        }
      },
    );

    it('should be the release the collector image is built from', () => {
      const from = read('collector/otelcol/Dockerfile').match(/^FROM (otel\/opentelemetry-collector-contrib:\S+)/m)?.[1];

      expect(from).toBe(release.image);
      expect(release.image).toBe(`otel/opentelemetry-collector-contrib:${release.release}`);
    });
  });

  describe('pipelines', () => {
    it('should receive OTLP over gRPC on 4317 and HTTP on 4318', () => {
      expect(config.receivers.otlp).toEqual({
        protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } },
      });
    });

    it('should start every pipeline with memory_limiter and end it with batch', () => {
      for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
        expect(pipeline.processors?.[0], name).toBe('memory_limiter');
        expect(pipeline.processors?.at(-1), name).toBe('batch');
      }
    });

    it('should mask attributes and log bodies on every log pipeline', () => {
      for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
        if (!name.startsWith('logs')) continue;
        expect(pipeline.processors, name).toEqual(expect.arrayContaining(['redaction', 'transform/mask_body']));
      }
    });

    it("should send logs to Loki's native OTLP endpoint and traces to Tempo over gRPC", () => {
      const logs = config.service.pipelines.logs!;
      const traces = config.service.pipelines.traces!;

      expect(logs.exporters).toEqual(['otlp_http/loki']);
      expect(config.exporters['otlp_http/loki']!.endpoint).toBe('http://loki:3100/otlp');
      expect(traces.exporters).toEqual(['otlp_grpc/tempo']);
      expect(config.exporters['otlp_grpc/tempo']).toMatchObject({ endpoint: 'tempo:4317', tls: { insecure: true } });
    });
  });

  describe('audit pipeline', () => {
    const audit = config.service.pipelines['logs/audit']!;
    const exporter = config.exporters['otlp_http/audit']!;

    it('should keep only records with audit.action, dropping those already persisted, before anything else is done', () => {
      expect(audit.processors!.slice(0, 2)).toEqual(['memory_limiter', 'filter/audit_only']);
      expect(config.processors['filter/audit_only']!.log_conditions).toEqual([
        `log.attributes["${ATTR_AUDIT_ACTION}"] == nil`,
        `log.attributes["${ATTR_AUDIT_PERSISTED}"] == true`,
      ]);
    });

    it('should export with the otlp_http exporter to the audit sink only', () => {
      expect(audit.exporters).toEqual(['otlp_http/audit']);
      expect(exporter.endpoint).toBe('http://audit-sink:4319');
    });

    it('should retry forever and queue on disk with fsync, so an outage loses nothing', () => {
      expect(exporter.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: '0s' });
      expect(exporter.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage/audit_queue' });
      expect(config.extensions['file_storage/audit_queue']).toMatchObject({ fsync: true, directory: '/var/lib/otelcol/file_storage' });
      expect(config.service.extensions).toContain('file_storage/audit_queue');
    });

    it('should authenticate to the sink with a token from the environment', () => {
      expect(exporter.headers).toEqual({ authorization: 'Bearer ${env:AUDIT_SINK_TOKEN}' });
    });
  });

  describe('extensions', () => {
    it('should serve health_check on 13133 for the container health check', () => {
      expect(config.extensions.health_check).toEqual({ endpoint: '0.0.0.0:13133' });
      expect(config.service.extensions).toContain('health_check');
    });
  });

  describe('masking', () => {
    // The patterns are RE2 (Go); these use only syntax RE2 and JavaScript share, except
    // the leading (?i), which becomes the `i` flag here.
    const toRegExp = (re2: string) => (re2.startsWith('(?i)') ? new RegExp(re2.slice(4), 'gi') : new RegExp(re2, 'g'));
    const blockedValues = (config.processors.redaction!.blocked_values as string[]).map(toRegExp);
    const blockedKeys = (config.processors.redaction!.blocked_key_patterns as string[]).map((re) => new RegExp(`^(?:${re.replace(/^\(\?i\)/, '')})$`, 'i'));
    const bodyRules = (config.processors['transform/mask_body']!.log_statements[0].statements as string[]).map((statement) => {
      const m = /^replace_pattern\(log\.body, ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\)$/.exec(statement);
      expect(m, statement).not.toBeNull();
      // OTTL string literals unescape like JSON strings; `$$` is the collector's escape of `$`.
      return { pattern: toRegExp(JSON.parse(m![1]!)), replacement: (JSON.parse(m![2]!) as string).replace(/\$\$/g, '$') };
    });
    const maskBody = (body: string) => bodyRules.reduce((text, rule) => text.replace(rule.pattern, rule.replacement), body);
    const maskValue = (value: string) => blockedValues.reduce((text, re) => text.replace(re, '****'), value);

    const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMTIzIn0.c2lnbmF0dXJlX2hlcmU';

    it.each([
      [`token ${JWT} leaked`, 'token [REDACTED_JWT] leaked'],
      ['Authorization: Bearer abc.DEF-123_x', 'Authorization: Bearer [REDACTED]'],
      ['paid with 4111 1111 1111 1111 today', 'paid with [REDACTED_CARD] today'],
      ['amex 3782-822463-10005', 'amex [REDACTED_CARD]'],
      ['login password=hunter2&next=/', 'login password=[REDACTED]&next=/'],
      ['{"api_key": "sk-1234567890"}', '{"api_key": "[REDACTED]"}'],
    ])('should mask secrets in the body: %s', (body, expected) => {
      expect(maskBody(body)).toBe(expected);
    });

    it.each([
      "🔌 User user123 made API call to 'GET /user-queries' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)",
      'request 0190a3e4-5b6c-7d8e-9f01-234567890abc in trace 4bf92f3577b34da6a3ce929d0e0e4736',
      'order 1234567890123 shipped',
    ])('should leave an ordinary narrative line alone: %s', (body) => {
      expect(maskBody(body)).toBe(body);
      expect(maskValue(body)).toBe(body);
    });

    it('should mask the same secrets in attribute values', () => {
      expect(maskValue(`Bearer ${JWT}`)).not.toContain('eyJ');
      expect(maskValue('card 5555555555554444')).toBe('card ****');
    });

    it.each([
      ['http.request.header.authorization', true],
      ['http.request.header.cookie', true],
      ['activity.data.password', true],
      ['user.api_key', true],
      ['payment.card_number', true],
      ['customer.ssn', true],
      ['user.id', false],
      ['session.id', false],
      ['code.classname', false],
      ['audit.action', false],
      ['activity.category', false],
    ])('should treat the attribute key %s as secret: %s', (key, secret) => {
      expect(blockedKeys.some((re) => re.test(key))).toBe(secret);
    });
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const exists = (path: string) => existsSync(new URL(path.replace(/^\.\//, ''), root));

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

// merge: the file shares health check timings through a YAML merge key.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services;
const collectorConfig = parse(read('otel-collector.yaml'));

/** `${VAR:-default}` as Compose resolves it with VAR unset. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
const dockerfileOf = (s: Service) => `${s.build!.context.replace(/^\.$/, '').replace(/\/?$/, '/').replace(/^\//, '')}${s.build!.dockerfile ?? 'Dockerfile'}`;
const fromLines = (dockerfile: string) => [...read(dockerfile).matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
const healthUrl = (s: Service) => s.healthcheck?.test.find((arg) => arg.startsWith('http://'));

describe('docker-compose.yml', () => {
  it('should start the whole stack the issue names', () => {
    expect(Object.keys(services).sort()).toEqual(['audit-sink', 'demo', 'grafana', 'loki', 'otel-collector', 'postgres', 'tempo', 'traffic']);
  });

  describe('images', () => {
    const pinned = (image: string) => /^[\w./-]+:[\w.-]*\d[\w.-]*$/.test(image) && !/:latest$/.test(image);

    it('should pin every pulled image to a version', () => {
      for (const [name, s] of Object.entries(services)) {
        if (s.build) continue;
        expect(pinned(s.image ?? ''), `${name}: ${s.image}`).toBe(true);
      }
    });

    it('should build from existing Dockerfiles whose base images are all pinned', () => {
      for (const [name, s] of Object.entries(services)) {
        if (!s.build) continue;
        const dockerfile = dockerfileOf(s);
        expect(exists(dockerfile), `${name}: ${dockerfile}`).toBe(true);
        const stages = new Set<string>();
        for (const line of read(dockerfile).matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)) {
          if (!stages.has(line[1]!)) expect(pinned(line[1]!), `${dockerfile}: FROM ${line[1]}`).toBe(true);
          if (line[2]) stages.add(line[2]);
        }
      }
    });

    it('should start the audit sink from its entry point in the repository', () => {
      const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(read(dockerfileOf(services['audit-sink']!)))![1]!) as string[];

      expect(cmd).toEqual(['node', 'collector/main.ts']);
      expect(exists(cmd[1]!)).toBe(true);
    });

    it('should run the audit sink on Node 22 and the collector from the contrib distribution', () => {
      expect(fromLines(dockerfileOf(services['audit-sink']!))).toEqual([expect.stringMatching(/^node:22\./)]);
      expect(fromLines(dockerfileOf(services['otel-collector']!))).toContain('otel/opentelemetry-collector-contrib:0.159.0');
      expect(services.loki!.image).toMatch(/^grafana\/loki:3\./);
    });
  });

  describe('health checks and start order', () => {
    it('should give every long-running service a health check', () => {
      for (const [name, s] of Object.entries(services)) {
        if (name === 'traffic') continue; // a client: nothing waits for it
        expect(s.healthcheck?.test?.length, name).toBeGreaterThan(0);
      }
    });

    it('should depend only on services that exist and are healthy before they are needed', () => {
      for (const [name, s] of Object.entries(services)) {
        for (const [target, { condition }] of Object.entries(s.depends_on ?? {})) {
          expect(services, `${name} -> ${target}`).toHaveProperty([target]);
          expect(condition, `${name} -> ${target}`).toBe('service_healthy');
          expect(services[target]!.healthcheck, `${target} has no health check`).toBeDefined();
        }
      }
    });

    it('should have no dependency cycle and start storage, then the pipeline, then the demo', () => {
      const order: string[] = [];
      const visit = (name: string, path: string[]) => {
        expect(path, `cycle: ${[...path, name].join(' -> ')}`).not.toContain(name);
        if (order.includes(name)) return;
        for (const dep of Object.keys(services[name]!.depends_on ?? {})) visit(dep, [...path, name]);
        order.push(name);
      };
      for (const name of Object.keys(services)) visit(name, []);
      const before = (a: string, b: string) => expect(order.indexOf(a), `${a} before ${b}`).toBeLessThan(order.indexOf(b));

      before('postgres', 'audit-sink');
      before('audit-sink', 'otel-collector');
      before('loki', 'otel-collector');
      before('tempo', 'otel-collector');
      before('otel-collector', 'demo');
      before('demo', 'traffic');
    });

    it('should probe each service on the port it listens on', () => {
      expect(healthUrl(services['audit-sink']!)).toBe(`http://127.0.0.1:${services['audit-sink']!.environment!.ACTIVITY_SINK_PORT}/health`);
      expect(healthUrl(services['otel-collector']!)).toBe(`http://127.0.0.1:${collectorConfig.extensions.health_check.endpoint.split(':')[1]}/`);
      expect(healthUrl(services.demo!)).toBe(`http://127.0.0.1:${services.demo!.environment!.PORT}/health`);
      expect(healthUrl(services.grafana!)).toBe('http://127.0.0.1:3000/api/health');
    });
  });

  describe('volumes', () => {
    const mounts = Object.entries(services).flatMap(([name, s]) => (s.volumes ?? []).map((v) => ({ name, source: v.split(':')[0]!, target: v.split(':')[1]! })));

    it('should declare every named volume it mounts, and mount every one it declares', () => {
      const named = mounts.filter((m) => !m.source.startsWith('.') && !m.source.startsWith('/')).map((m) => m.source);

      expect([...new Set(named)].sort()).toEqual(Object.keys(compose.volumes).sort());
    });

    it('should bind-mount only files and directories that exist in the repository', () => {
      for (const m of mounts.filter((m) => m.source.startsWith('./'))) expect(exists(m.source), `${m.name}: ${m.source}`).toBe(true);
    });

    it('should mount the collector config where the command points, and its queue where file_storage writes', () => {
      const collector = mounts.filter((m) => m.name === 'otel-collector');
      const configPath = services['otel-collector']!.command!.find((a) => a.startsWith('--config='))!.slice('--config='.length);

      expect(collector).toContainEqual({ name: 'otel-collector', source: './otel-collector.yaml', target: configPath });
      expect(collector.map((m) => m.target)).toContain(collectorConfig.extensions['file_storage/audit_queue'].directory);
    });

    it('should mount the Loki and Tempo configs their commands load', () => {
      for (const name of ['loki', 'tempo']) {
        const file = services[name]!.command!.find((a) => a.startsWith('-config.file='))!.split('=')[1];
        expect(mounts.find((m) => m.name === name && m.target === file), name).toBeDefined();
      }
    });
  });

  describe('ports and endpoints', () => {
    it('should publish each host port once, on the loopback interface only', () => {
      const published = Object.values(services).flatMap((s) => s.ports ?? []);

      for (const p of published) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      const hostPorts = published.map((p) => p.split(':')[1]);
      expect(new Set(hostPorts).size).toBe(hostPorts.length);
    });

    it('should point the collector exporters at the services and ports that serve them', () => {
      const loki = parse(read('grafana/loki/loki.yaml'));
      const tempo = parse(read('grafana/tempo/tempo.yaml'));
      const exporters = collectorConfig.exporters;

      expect(exporters['otlp_http/loki'].endpoint).toBe(`http://loki:${loki.server.http_listen_port}/otlp`);
      expect(exporters['otlp_grpc/tempo'].endpoint).toBe(`tempo:${tempo.distributor.receivers.otlp.protocols.grpc.endpoint.split(':')[1]}`);
      expect(exporters['otlp_http/audit'].endpoint).toBe(`http://audit-sink:${services['audit-sink']!.environment!.ACTIVITY_SINK_PORT}`);
      expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    });

    it('should give the collector every environment variable its config reads', () => {
      const vars = [...read('otel-collector.yaml').matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1]!);

      for (const v of vars) expect(services['otel-collector']!.environment, v).toHaveProperty([v]);
      expect(withDefaults(services['otel-collector']!.environment!.AUDIT_SINK_TOKEN!)).toBe(withDefaults(services['audit-sink']!.environment!.ACTIVITY_SINK_TOKEN!));
    });

    it('should send the demo service to the collector over OTLP/HTTP and the traffic to the demo', () => {
      expect(services.demo!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
      expect(services.demo!.command!.slice(0, 3)).toEqual(['node', '--import', 'otel-activity/register']);
      expect(services.traffic!.environment!.TARGET_URL).toBe(`http://demo:${services.demo!.environment!.PORT}`);
    });

    it('should give the audit sink the database the postgres service creates', () => {
      const pg = services.postgres!.environment!;
      const url = new URL(withDefaults(services['audit-sink']!.environment!.ACTIVITY_AUDIT_DATABASE_URL!));

      expect(url.host).toBe('postgres:5432');
      expect(url.username).toBe(pg.POSTGRES_USER);
      expect(url.password).toBe(withDefaults(pg.POSTGRES_PASSWORD!));
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    });
  });
});

// The Kubernetes manifests as they deploy: every overlay rendered by the kustomize library and each
// object decoded strictly into its Kubernetes API type (deploy/check: an unknown field fails), then
// checked for what a cluster would not catch: images, requests and limits, probes on routes the app
// serves, ServiceMonitors on /metrics, the network rules, the out-of-band Secret's keys.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildChecker, DEPLOY_DIR, goMissing, type K8sObject, type Overlay, overlayDir, OVERLAYS, renderStrict, REPO_ROOT } from './render.js';

const run = promisify(execFile);

interface Probe {
  httpGet?: { path?: string; port?: string | number };
  exec?: { command: string[] };
}
interface Container {
  name: string;
  image?: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string | number> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  volumes?: { configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: PodSpec;
}
interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] };
  policyTypes: string[];
  ingress?: { from?: PolicyPeer[]; ports?: { port: string | number }[] }[];
}

const go = await goMissing();
if (go !== undefined && process.env['CI'] === 'true') {
  throw new Error(`CI=true: the manifest test never skips, but ${go}`);
}

/** Debian's kubectl (its `kubectl kustomize` is kustomize v5) renders the overlays a second time, when installed. */
const hasKubectl = await run('kubectl', ['version', '--client']).then(
  () => true,
  () => false,
);

/** The keys of the out-of-band Secret `metarec-secrets`, as deploy/k8s/README.md lists them. */
const README = await readFile(path.join(DEPLOY_DIR, 'k8s', 'README.md'), 'utf8');
const SECRET_KEYS = /Keys \(every one[^:]*\):\s*([A-Z_, \n]+)\./.exec(README)?.[1]?.split(/[,\s]+/).filter(Boolean) ?? [];

/** Route paths an app serves, read from its source (the deploy project imports no app). */
async function routesOf(app: string): Promise<Set<string>> {
  if (app === 'serving') {
    const source = await readFile(path.join(REPO_ROOT, 'apps/serving/src/app.ts'), 'utf8');
    const routes = /export const ROUTES = \{([^}]*)\}/.exec(source)?.[1] ?? '';
    return new Set([...routes.matchAll(/'([^']+)'/g)].map((m) => m[1]));
  }
  const files: Record<string, string> = {
    ingest: 'apps/ingest/src/app.ts',
    registry: 'apps/registry/src/http/ops-routes.ts',
    'trainer-worker': 'apps/trainer/src/app.ts',
    'trainer-dashboard': 'apps/trainer/src/dashboard-app.ts',
  };
  const source = await readFile(path.join(REPO_ROOT, files[app]), 'utf8');
  return new Set([...source.matchAll(/app\.get\('([^']+)'/g)].map((m) => m[1]));
}

/** Each Deployment's port variable, in its app's config (apps/<app>/src/config.ts), whose default the manifests keep. */
const PORT_VARIABLE: Record<string, { app: string; variable: string }> = {
  serving: { app: 'serving', variable: 'SERVING_PORT' },
  registry: { app: 'registry', variable: 'REGISTRY_PORT' },
  ingest: { app: 'ingest', variable: 'INGEST_PORT' },
  'trainer-worker': { app: 'trainer', variable: 'TRAINER_PORT' },
  'trainer-dashboard': { app: 'trainer', variable: 'DASHBOARD_PORT' },
};

/** The default of a port variable, read from the app's config source. */
async function defaultPort(app: string, variable: string): Promise<number> {
  const source = await readFile(path.join(REPO_ROOT, 'apps', app, 'src/config.ts'), 'utf8');
  const match = new RegExp(`^ {2}${variable}: env\\.port\\([^\\n]*\\)\\.default\\((\\d+)\\)`, 'm').exec(source);
  if (match === null) {
    throw new Error(`apps/${app}/src/config.ts has no default for ${variable}`);
  }
  return Number(match[1]);
}

/** The app (apps/<app>) whose image a workload runs. */
const APP_OF_IMAGE: Record<string, string> = { 'metarec/ingest': 'ingest', 'metarec/registry': 'registry', 'metarec/serving': 'serving', 'metarec/serving-gpu': 'serving', 'metarec/trainer': 'trainer' };

async function packageVersion(app: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(REPO_ROOT, 'apps', app, 'package.json'), 'utf8')) as { version: string }).version;
}

const templateOf = (doc: K8sObject): PodTemplate =>
  doc.kind === 'CronJob' ? (doc.spec as { jobTemplate: { spec: { template: PodTemplate } } }).jobTemplate.spec.template : (doc.spec as { template: PodTemplate }).template;
const isWorkload = (doc: K8sObject): boolean => ['Deployment', 'CronJob', 'Job', 'StatefulSet'].includes(doc.kind);
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

describe.skipIf(go !== undefined)(`deploy/k8s overlays, rendered and decoded strictly${go === undefined ? '' : ` (skipped: ${go})`}`, () => {
  let checker: string;
  let rendered: Map<string, K8sObject[]>;
  const objects = (overlay: Overlay): K8sObject[] => rendered.get(overlayDir(overlay)) ?? [];
  const find = (overlay: Overlay, kind: string, name: string): K8sObject | undefined => objects(overlay).find((o) => o.kind === kind && o.metadata.name === name);

  beforeAll(async () => {
    checker = await buildChecker();
    rendered = await renderStrict(checker, OVERLAYS.map(overlayDir));
  }, 900_000);

  it('every overlay renders, and every object decodes strictly into its API type', () => {
    const counts = Object.fromEntries(OVERLAYS.map((o) => [o, objects(o).length]));
    // The figures for the record (the test prints them): objects per rendered overlay.
    console.log(`objects per overlay: ${JSON.stringify(counts)}`);
    for (const overlay of OVERLAYS) {
      expect(objects(overlay).length, overlay).toBeGreaterThan(15);
      for (const doc of objects(overlay)) {
        if (doc.kind !== 'Namespace') {
          expect(doc.metadata.namespace, `${overlay} ${doc.kind}/${doc.metadata.name}`).toBe('metarec');
        }
      }
    }
  });

  describe('the checker is strict', () => {
    let scratch: string;
    beforeAll(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), 'metarec-deploy-'));
    });
    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    it('an overlay that adds a field the API does not have fails to decode', async () => {
      await writeFile(
        path.join(scratch, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          'resources:',
          `  - ${path.relative(scratch, overlayDir('production'))}`,
          'patches:',
          '  - target: { kind: Deployment, name: registry }',
          '    patch: |-',
          '      - { op: add, path: /spec/template/spec/containers/0/livenessProbe/httpGett, value: { path: /healthz } }',
          '',
        ].join('\n'),
      );
      await expect(renderStrict(checker, [scratch])).rejects.toThrow(/Deployment\/registry does not decode strictly as apps\/v1\/Deployment: .*unknown field "httpGett"/);
    });
  });

  it.skipIf(!hasKubectl)('kubectl kustomize renders the same objects as the checker', async () => {
    for (const overlay of OVERLAYS) {
      const { stdout } = await run('kubectl', ['kustomize', overlayDir(overlay)], { maxBuffer: 64 * 1024 * 1024 });
      const names = [...stdout.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1]).sort();
      expect(names, overlay).toEqual(objects(overlay).map((o) => o.kind).sort());
    }
  });

  describe.each(OVERLAYS)('%s', (overlay) => {
    const workloads = (): K8sObject[] => objects(overlay).filter(isWorkload);

    it('every container runs a per-app image tagged <package version>-<commit> (never :latest or untagged)', async () => {
      const images = workloads().flatMap((w) => templateOf(w).spec.containers.map((c) => c.image ?? ''));
      expect(images.length).toBeGreaterThanOrEqual(6);
      for (const image of images) {
        const match = /^(metarec\/[a-z-]+):(\d+\.\d+\.\d+)-(unreleased|[0-9a-f]{12}(?:-dirty)?)$/.exec(image);
        expect(match, image).not.toBeNull();
        const app = APP_OF_IMAGE[match?.[1] ?? ''];
        expect(app, image).toBeDefined();
        expect(match?.[2], image).toBe(await packageVersion(app));
      }
    });

    it('every container has CPU and memory requests and limits, runs as non-root, without privilege escalation', () => {
      for (const workload of workloads()) {
        const pod = templateOf(workload).spec;
        expect(pod.securityContext?.runAsNonRoot, workload.metadata.name).toBe(true);
        for (const container of pod.containers) {
          const where = `${workload.metadata.name}/${container.name}`;
          for (const resource of ['cpu', 'memory']) {
            expect(container.resources?.requests?.[resource], `${where} requests.${resource}`).toBeTruthy();
            expect(container.resources?.limits?.[resource], `${where} limits.${resource}`).toBeTruthy();
          }
          expect(container.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        }
      }
    });

    it('selectors match pod labels; HPAs and PDBs target existing workloads', () => {
      for (const deployment of objects(overlay).filter((o) => o.kind === 'Deployment')) {
        const spec = deployment.spec as { selector: { matchLabels: Record<string, string> }; template: PodTemplate };
        expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
      }
      for (const hpa of objects(overlay).filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
        const spec = hpa.spec as { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
        expect(find(overlay, spec.scaleTargetRef.kind, spec.scaleTargetRef.name)).toBeDefined();
        expect(spec.minReplicas).toBeLessThanOrEqual(spec.maxReplicas);
      }
      for (const pdb of objects(overlay).filter((o) => o.kind === 'PodDisruptionBudget')) {
        const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
        expect(objects(overlay).some((d) => d.kind === 'Deployment' && matches(selector, templateOf(d).metadata.labels)), `PDB ${pdb.metadata.name}`).toBe(true);
      }
    });

    it('ships no Secret; the README lists exactly the keys the workloads read; ConfigMaps and claims exist', () => {
      expect(objects(overlay).filter((o) => o.kind === 'Secret')).toEqual([]);
      const referenced = new Set<string>();
      const claims = new Set(objects(overlay).filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name));
      for (const workload of workloads()) {
        const pod = templateOf(workload).spec;
        for (const volume of pod.volumes ?? []) {
          if (volume.configMap) {
            expect(find(overlay, 'ConfigMap', volume.configMap.name)).toBeDefined();
          }
          if (volume.persistentVolumeClaim) {
            expect(claims.has(volume.persistentVolumeClaim.claimName)).toBe(true);
          }
        }
        for (const container of pod.containers) {
          for (const from of container.envFrom ?? []) {
            expect(from.configMapRef === undefined || find(overlay, 'ConfigMap', from.configMapRef.name) !== undefined).toBe(true);
          }
          for (const variable of container.env ?? []) {
            const ref = variable.valueFrom?.secretKeyRef;
            if (ref !== undefined) {
              expect(ref.name, `${container.name} ${variable.name}`).toBe('metarec-secrets');
              referenced.add(ref.key);
            }
          }
        }
      }
      expect([...referenced].sort()).toEqual([...SECRET_KEYS].sort());
    });

    it('HTTP probes are routes the probed app serves, on a declared port; the coordinator runs the image\'s health check', async () => {
      let probes = 0;
      for (const deployment of objects(overlay).filter((o) => o.kind === 'Deployment')) {
        const routes = await routesOf(deployment.metadata.name);
        for (const container of templateOf(deployment).spec.containers) {
          for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
            if (probe?.httpGet === undefined) {
              continue;
            }
            probes += 1;
            expect(routes, `${deployment.metadata.name} ${probe.httpGet.path}`).toContain(probe.httpGet.path);
            expect(container.ports?.some((p) => p.name === probe.httpGet?.port || p.containerPort === probe.httpGet?.port)).toBe(true);
          }
        }
      }
      expect(probes).toBeGreaterThanOrEqual(9);
      const coordinator = templateOf(find(overlay, 'CronJob', 'trainer-coordinator') as K8sObject).spec.containers[0];
      expect(coordinator.livenessProbe?.exec?.command).toEqual(['node', 'healthcheck.js']);
      expect(coordinator.args?.slice(coordinator.args.indexOf('--run-id'), coordinator.args.indexOf('--run-id') + 2)).toEqual(['--run-id', '$(TRAINER_RUN_ID)']);
      expect(coordinator.env?.some((v) => v.name === 'TRAINER_RUN_ID')).toBe(true);
    });

    it('only serving is reachable from outside the namespace (besides Prometheus scraping), the registry only from the trainer coordinator and serving', () => {
      const policies = objects(overlay).filter((o) => o.kind === 'NetworkPolicy');
      const specs = policies.map((p) => p.spec as unknown as NetworkPolicySpec);
      // Default deny: every pod selected, Ingress, no rule.
      expect(specs.some((s) => Object.keys(s.podSelector).length === 0 && s.policyTypes.includes('Ingress') && (s.ingress ?? []).length === 0)).toBe(true);
      for (const spec of specs) {
        for (const rule of spec.ingress ?? []) {
          const external = rule.from === undefined || rule.from.some((peer) => peer.namespaceSelector !== undefined);
          if (!external) {
            continue;
          }
          const toServingOnly = spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'serving';
          const prometheusOnly = (rule.from ?? []).length > 0 && (rule.from ?? []).every((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring' && peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus');
          expect(toServingOnly || prometheusOnly, JSON.stringify(spec)).toBe(true);
        }
      }
      const registry = specs.filter((s) => s.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'registry');
      expect(registry).toHaveLength(1);
      const peers = (registry[0].ingress ?? []).flatMap((r) => r.from ?? []);
      expect(peers.map((p) => p.podSelector?.matchLabels?.['app.kubernetes.io/name']).sort()).toEqual(['serving', 'trainer-coordinator']);
      expect(peers.every((p) => p.namespaceSelector === undefined)).toBe(true);
    });

    if (overlay !== 'local') {
      it('a ServiceMonitor scrapes /metrics of each app that serves it, through a Service with that port', async () => {
        const monitors = objects(overlay).filter((o) => o.kind === 'ServiceMonitor');
        const scraped = new Set<string>();
        for (const monitor of monitors) {
          const spec = monitor.spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
          const services = objects(overlay).filter((o) => o.kind === 'Service' && matches(spec.selector.matchLabels, o.metadata.labels));
          expect(services.length, monitor.metadata.name).toBeGreaterThan(0);
          for (const service of services) {
            const serviceSpec = service.spec as { selector: Record<string, string>; ports: { name: string }[] };
            for (const endpoint of spec.endpoints) {
              expect(endpoint.path).toBe('/metrics');
              expect(serviceSpec.ports.map((p) => p.name)).toContain(endpoint.port);
            }
            const target = objects(overlay).find((d) => d.kind === 'Deployment' && matches(serviceSpec.selector, templateOf(d).metadata.labels));
            expect(target, `${monitor.metadata.name} → ${service.metadata.name}`).toBeDefined();
            expect(await routesOf(target?.metadata.name ?? ''), target?.metadata.name).toContain('/metrics');
            scraped.add(target?.metadata.name ?? '');
          }
        }
        expect([...scraped].sort()).toEqual(['ingest', 'registry', 'serving', 'trainer-dashboard', 'trainer-worker']);
      });
    }

    it('every app listens on its config\'s default port (serving 8080, registry 8081, ingest 9464, trainer 9465, dashboard 9466), and REGISTRY_URL names the registry Service\'s port', async () => {
      const seen = new Set<number>();
      for (const [name, { app, variable }] of Object.entries(PORT_VARIABLE)) {
        const port = await defaultPort(app, variable);
        seen.add(port);
        const container = templateOf(find(overlay, 'Deployment', name) as K8sObject).spec.containers[0];
        expect(container.ports?.[0]?.containerPort, name).toBe(port);
        expect(container.env?.find((v) => v.name === variable)?.value, `${name} ${variable}`).toBe(String(port));
      }
      // Distinct defaults: two apps on one host (compose, a dev machine) do not collide.
      expect(seen.size).toBe(Object.keys(PORT_VARIABLE).length);
      const registryService = find(overlay, 'Service', 'registry')?.spec as { ports: { port: number }[] };
      const registryUrl = `http://registry.metarec.svc:${registryService.ports[0]?.port}`;
      expect(registryService.ports[0]?.port).toBe(await defaultPort('registry', 'REGISTRY_PORT'));
      expect(find(overlay, 'ConfigMap', 'metarec-config')?.data?.['REGISTRY_URL']).toBe(registryUrl);
      const coordinator = templateOf(find(overlay, 'CronJob', 'trainer-coordinator') as K8sObject).spec.containers[0];
      expect(coordinator.args?.[(coordinator.args?.indexOf('--register') ?? -2) + 1]).toBe(registryUrl);
    });

    it('the trainer dashboard runs `trainer dashboard` with DASHBOARD_TOKEN from the Secret, reachable from the namespace and Prometheus only', () => {
      const dashboard = templateOf(find(overlay, 'Deployment', 'trainer-dashboard') as K8sObject).spec.containers[0];
      expect(dashboard.image).toMatch(/^metarec\/trainer:/);
      expect(dashboard.args).toEqual(['dashboard']);
      expect(dashboard.env?.find((v) => v.name === 'DASHBOARD_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: 'metarec-secrets', key: 'DASHBOARD_TOKEN' });
      const labels = templateOf(find(overlay, 'Deployment', 'trainer-dashboard') as K8sObject).metadata.labels;
      const rules = objects(overlay)
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((p) => p.spec as unknown as NetworkPolicySpec)
        .filter((spec) => {
          const { matchLabels, matchExpressions } = spec.podSelector;
          if (matchLabels === undefined && matchExpressions === undefined) {
            return false;
          }
          return matches(matchLabels, labels) && (matchExpressions ?? []).every((e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? ''));
        })
        .flatMap((spec) => spec.ingress ?? []);
      const peers = rules.flatMap((r) => r.from ?? []);
      // Every rule names its sources; each is a pod of this namespace or Prometheus in `monitoring`.
      expect(rules.length).toBeGreaterThanOrEqual(2);
      expect(rules.every((r) => (r.from ?? []).length > 0)).toBe(true);
      for (const peer of peers) {
        const prometheus = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring' && peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus';
        expect(prometheus || peer.namespaceSelector === undefined, JSON.stringify(peer)).toBe(true);
      }
    });

    it('serving sets only variables its config knows, and listens on the probed port', async () => {
      const source = await readFile(path.join(REPO_ROOT, 'apps/serving/src/config.ts'), 'utf8');
      // NODE_OPTIONS is read by node itself (runtime flags), not by the app's config.
      const known = new Set([...[...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]), 'NODE_OPTIONS']);
      expect(known.size).toBeGreaterThan(10);
      const serving = templateOf(find(overlay, 'Deployment', 'serving') as K8sObject).spec.containers[0];
      for (const variable of serving.env ?? []) {
        expect(known, variable.name).toContain(variable.name);
      }
      const port = serving.env?.find((v) => v.name === 'SERVING_PORT')?.value;
      expect(serving.ports?.[0]?.containerPort).toBe(Number(port));
    });

    it('the coordinator mounts the run spec of deploy/run-spec.json', async () => {
      const spec = JSON.parse(find(overlay, 'ConfigMap', 'metarec-run-spec')?.data?.['run-spec.json'] ?? '{}') as unknown;
      expect(spec).toEqual(JSON.parse(await readFile(path.join(DEPLOY_DIR, 'run-spec.json'), 'utf8')));
    });
  });

  it('production and gpu-serving have autoscaling, disruption budgets and ServiceMonitors; local has none of them', () => {
    for (const overlay of ['production', 'gpu-serving'] as const) {
      for (const [kind, name] of [['HorizontalPodAutoscaler', 'serving'], ['PodDisruptionBudget', 'serving'], ['ServiceMonitor', 'serving']]) {
        expect(find(overlay, kind, name), `${overlay} ${kind}/${name}`).toBeDefined();
      }
    }
    expect(objects('local').filter((o) => ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor'].includes(o.kind))).toEqual([]);
  });

  it('gpu-serving runs serving on the serving-gpu image with one nvidia.com/gpu per pod; production on the CPU image without', () => {
    const gpu = templateOf(find('gpu-serving', 'Deployment', 'serving') as K8sObject).spec.containers[0];
    expect(gpu.image).toMatch(/^metarec\/serving-gpu:/);
    expect(String(gpu.resources?.limits?.['nvidia.com/gpu'])).toBe('1');
    const cpu = templateOf(find('production', 'Deployment', 'serving') as K8sObject).spec.containers[0];
    expect(cpu.image).toMatch(/^metarec\/serving:/);
    expect(cpu.resources?.limits?.['nvidia.com/gpu']).toBeUndefined();
  });
});

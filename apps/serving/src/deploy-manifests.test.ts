// Static checks of the deployment files (no cluster, no Docker here): the manifests parse, carry
// the fields Kubernetes requires, reference objects that exist, and every probe path is a route
// the probed app serves.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

import { ROUTES } from './app.js';
import { servingConfigSchema } from './config.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const K8S = path.join(REPO, 'deploy/k8s');

type Doc = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string>; stringData?: Record<string, string> };
interface Probe { httpGet?: { path?: string; port?: string | number } }
interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean };
}
interface PodSpec { containers: Container[]; securityContext?: { runAsNonRoot?: boolean }; volumes?: { configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[] }

const docs: Doc[] = readdirSync(K8S)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((d) => {
      if (d.errors.length > 0) {
        throw new Error(`${file}: ${d.errors[0].message}`);
      }
      return d.toJS() as Doc;
    }),
  );
const byKind = (kind: string): Doc[] => docs.filter((d) => d.kind === kind);
const find = (kind: string, name: string): Doc | undefined => docs.find((d) => d.kind === kind && d.metadata?.name === name);
const podOf = (doc: Doc): PodSpec =>
  doc.kind === 'CronJob'
    ? ((doc.spec as { jobTemplate: { spec: { template: { spec: PodSpec } } } }).jobTemplate.spec.template.spec)
    : ((doc.spec as { template: { spec: PodSpec } }).template.spec);
const workloads = [...byKind('Deployment'), ...byKind('CronJob')];
/** The keys of the out-of-band Secret `metarec-secrets`, as deploy/k8s/README.md lists them. */
const SECRET_KEYS = /Keys \(every one[^:]*\):\s*([A-Z_, \n]+)\./.exec(readFileSync(path.join(K8S, 'README.md'), 'utf8'))?.[1]?.split(/[,\s]+/).filter(Boolean) ?? [];

/** Route paths each probed app serves, read from its source (apps cannot import apps). */
function routesOf(app: string): Set<string> {
  if (app === 'serving') {
    return new Set(Object.values(ROUTES));
  }
  const files = { ingest: 'apps/ingest/src/app.ts', registry: 'apps/registry/src/http/ops-routes.ts', 'trainer-worker': 'apps/trainer/src/app.ts' } as const;
  const source = readFileSync(path.join(REPO, files[app as keyof typeof files]), 'utf8');
  return new Set([...source.matchAll(/app\.get\('([^']+)'/g)].map((m) => m[1]));
}

describe('deploy/k8s manifests', () => {
  it('parse, and every object has apiVersion, kind, name and the metarec namespace', () => {
    expect(docs.length).toBeGreaterThanOrEqual(12);
    for (const doc of docs) {
      expect(doc.apiVersion, JSON.stringify(doc.metadata)).toMatch(/^[a-z0-9./]+$/);
      expect(doc.kind).toBeTruthy();
      expect(doc.metadata?.name).toMatch(/^[a-z0-9-]+$/);
      if (doc.kind !== 'Namespace') {
        expect(doc.metadata?.namespace, `${doc.kind}/${doc.metadata?.name}`).toBe('metarec');
      }
    }
  });

  it('has the serving Deployment, Service, HPA and PDB, the ingest and trainer-worker Deployments and the coordinator CronJob', () => {
    for (const [kind, name] of [['Deployment', 'serving'], ['Service', 'serving'], ['HorizontalPodAutoscaler', 'serving'], ['PodDisruptionBudget', 'serving'], ['Deployment', 'ingest'], ['Deployment', 'trainer-worker'], ['CronJob', 'trainer-coordinator'], ['Deployment', 'registry'], ['ConfigMap', 'metarec-config']]) {
      expect(find(kind, name), `${kind}/${name}`).toBeDefined();
    }
  });

  it('selectors match pod labels; HPA and PDBs target existing workloads', () => {
    for (const deployment of byKind('Deployment')) {
      const spec = deployment.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
      expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    }
    const hpa = find('HorizontalPodAutoscaler', 'serving')?.spec as { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
    expect(find(hpa.scaleTargetRef.kind, hpa.scaleTargetRef.name)).toBeDefined();
    expect(hpa.minReplicas).toBeLessThanOrEqual(hpa.maxReplicas);
    for (const pdb of byKind('PodDisruptionBudget')) {
      const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      const target = byKind('Deployment').find((d) => Object.entries(selector).every(([k, v]) => (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[k] === v));
      expect(target, `PDB ${pdb.metadata?.name}`).toBeDefined();
      const minAvailable = (pdb.spec as { minAvailable?: number }).minAvailable;
      if (minAvailable !== undefined && target !== undefined) {
        expect(minAvailable).toBeLessThan((find('HorizontalPodAutoscaler', target.metadata?.name ?? '')?.spec as { minReplicas?: number } | undefined)?.minReplicas ?? (target.spec as { replicas: number }).replicas);
      }
    }
  });

  it('ships no Secret (no placeholder credentials to deploy as is); the README lists every key the workloads read', () => {
    expect(byKind('Secret')).toEqual([]);
    const referenced = new Set(workloads.flatMap((w) => podOf(w).containers.flatMap((c) => (c.env ?? []).flatMap((v) => (v.valueFrom?.secretKeyRef ? [v.valueFrom.secretKeyRef.key] : [])))));
    expect([...referenced].sort()).toEqual([...SECRET_KEYS].sort());
  });

  it('every container runs as non-root with requests, and references ConfigMaps, Secrets and claims that exist', () => {
    const claims = new Set(byKind('PersistentVolumeClaim').map((d) => d.metadata?.name));
    for (const workload of workloads) {
      const pod = podOf(workload);
      expect(pod.securityContext?.runAsNonRoot, workload.metadata?.name).toBe(true);
      for (const volume of pod.volumes ?? []) {
        if (volume.configMap) {
          expect(find('ConfigMap', volume.configMap.name)).toBeDefined();
        }
        if (volume.persistentVolumeClaim) {
          expect(claims.has(volume.persistentVolumeClaim.claimName)).toBe(true);
        }
      }
      for (const container of pod.containers) {
        expect(container.image).toMatch(/^metarec\//);
        expect(container.resources?.requests?.['cpu']).toBeTruthy();
        expect(container.resources?.requests?.['memory']).toBeTruthy();
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        for (const from of container.envFrom ?? []) {
          expect(from.configMapRef === undefined || find('ConfigMap', from.configMapRef.name) !== undefined).toBe(true);
        }
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref !== undefined) {
            // The Secret is created out of band (deploy/k8s/README.md lists its keys): no credentials ship.
            expect(ref.name, `${container.name} ${variable.name}`).toBe('metarec-secrets');
            expect(SECRET_KEYS, `${container.name} ${variable.name}`).toContain(ref.key);
          }
        }
      }
    }
  });

  it('probe paths are routes the probed app serves, on a declared container port', () => {
    let probes = 0;
    for (const deployment of byKind('Deployment')) {
      const name = deployment.metadata?.name ?? '';
      const routes = routesOf(name);
      for (const container of podOf(deployment).containers) {
        for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
          if (probe?.httpGet === undefined) {
            continue;
          }
          probes += 1;
          expect(routes, `${name} ${probe.httpGet.path}`).toContain(probe.httpGet.path);
          expect(container.ports?.some((p) => p.name === probe.httpGet?.port || p.containerPort === probe.httpGet?.port)).toBe(true);
        }
      }
    }
    expect(probes).toBeGreaterThanOrEqual(7);
    const serving = podOf(find('Deployment', 'serving') as Doc).containers[0];
    expect(serving.readinessProbe?.httpGet?.path).toBe(ROUTES.readyz);
    expect(serving.livenessProbe?.httpGet?.path).toBe(ROUTES.healthz);
  });

  it('serving sets only variables its config knows, and listens on the probed port', () => {
    const serving = podOf(find('Deployment', 'serving') as Doc).containers[0];
    // NODE_OPTIONS is read by node itself (runtime flags), not by the app's config.
    const known = new Set([...Object.keys(servingConfigSchema.shape), 'NODE_OPTIONS']);
    for (const variable of serving.env ?? []) {
      expect(known, variable.name).toContain(variable.name);
    }
    const port = serving.env?.find((v) => v.name === 'SERVING_PORT')?.value;
    expect(serving.ports?.[0]?.containerPort).toBe(Number(port));
  });

  it('the coordinator mounts a run spec that names its data and output', () => {
    const spec = JSON.parse(find('ConfigMap', 'metarec-run-spec')?.data?.['run-spec.json'] ?? '{}') as { data?: { kind?: string }; output?: { dir?: string } };
    expect(spec.data?.kind).toBe('offline-store');
    expect(spec.output?.dir).toBeTruthy();
    expect(spec).toEqual(JSON.parse(readFileSync(path.join(REPO, 'deploy/run-spec.json'), 'utf8')));
  });
});

describe('docker files', () => {
  it('Dockerfile.serving is multi-stage, runs as non-root, has a HEALTHCHECK on /healthz and starts the built app', () => {
    const text = readFileSync(path.join(REPO, 'docker/Dockerfile.serving'), 'utf8');
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(text).toContain(ROUTES.healthz);
    expect(text).toMatch(/^CMD \["node", "apps\/serving\/dist\/main.js"\]$/m);
  });

  it('compose.yml parses and wires serving to Kafka, Redis and the registry', () => {
    const compose = parse(readFileSync(path.join(REPO, 'docker/compose.yml'), 'utf8')) as { services: Record<string, { image: string; depends_on?: Record<string, unknown>; environment?: Record<string, string> }> };
    for (const name of ['kafka', 'redis', 'postgres', 'registry', 'ingest', 'serving', 'trainer-worker', 'trainer-coordinator']) {
      expect(compose.services[name], name).toBeDefined();
    }
    expect(Object.keys(compose.services['serving'].depends_on ?? {}).sort()).toEqual(['kafka', 'redis', 'registry']);
    expect(compose.services['serving'].environment?.['REGISTRY_URL']).toBe('http://registry:8081');
  });
});

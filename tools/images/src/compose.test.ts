// docker/compose.yml (the whole stack on one Docker host; no Docker here to run it): it parses, runs
// the per-app images at the tag docker/build-image.sh printed, and wires serving to its services.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { REPO_ROOT } from './tensorflow-images.js';

interface ComposeService {
  image: string;
  command?: string[];
  depends_on?: Record<string, unknown>;
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker/compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };

describe('docker/compose.yml', () => {
  it('has the services and wires serving to Kafka, Redis and the registry', () => {
    for (const name of ['kafka', 'redis', 'postgres', 'registry', 'ingest', 'serving', 'trainer-worker', 'trainer-coordinator', 'trainer-dashboard']) {
      expect(compose.services[name], name).toBeDefined();
    }
    expect(Object.keys(compose.services['serving'].depends_on ?? {}).sort()).toEqual(['kafka', 'redis', 'registry']);
    expect(compose.services['serving'].environment?.['REGISTRY_URL']).toBe('http://registry:8081');
  });

  it('runs each app on its own image at the required METAREC_TAG', () => {
    const images: Record<string, string> = { registry: 'registry', ingest: 'ingest', serving: 'serving', 'trainer-worker': 'trainer', 'trainer-coordinator': 'trainer', 'trainer-dashboard': 'trainer' };
    for (const [service, image] of Object.entries(images)) {
      expect(compose.services[service].image, service).toMatch(new RegExp(`^metarec/${image}:\\$\\{METAREC_TAG:\\?[^}]*\\}$`));
    }
  });

  it('runs the trainer dashboard with its token, its port and the health check of its role', () => {
    const dashboard = compose.services['trainer-dashboard'];
    expect(dashboard.command).toEqual(['dashboard']);
    expect(dashboard.environment).toMatchObject({ DASHBOARD_PORT: '9466', HEALTHCHECK_ROLE: 'dashboard' });
    expect(dashboard.environment?.['DASHBOARD_TOKEN']?.length).toBeGreaterThan(16);
  });

  it('gives the coordinator the run id its health check follows', () => {
    const coordinator = compose.services['trainer-coordinator'];
    const runId = coordinator.command?.[(coordinator.command?.indexOf('--run-id') ?? -2) + 1];
    // Both from the one variable: the check watches the run the coordinator runs.
    expect(runId).toMatch(/^\$\{TRAINER_RUN_ID:\?[^}]*\}$/);
    expect(coordinator.environment?.['TRAINER_RUN_ID']).toMatch(/^\$\{TRAINER_RUN_ID:\?[^}]*\}$/);
  });
});

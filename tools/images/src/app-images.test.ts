// Static checks of the per-app images (the host reproduction is image-stage.int.test.ts): each is
// built from the monorepo by Nx's prune target, installs only the pruned production dependencies,
// carries its version from build args, runs as a non-root user and has a HEALTHCHECK.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { APP_IMAGES, pruneCommand } from './app-images.js';
import { execForm, flagValue, healthcheckOf, lastInstruction, stageNamed } from './dockerfile.js';
import { readDockerfile, REPO_ROOT } from './tensorflow-images.js';

describe.each(APP_IMAGES)('$dockerfile', (image) => {
  const file = readDockerfile(image.dockerfile);
  const runtime = file.stages.at(-1);
  if (runtime === undefined) {
    throw new Error('no stage');
  }

  it(`builds ${image.project} with its Nx prune target`, () => {
    const runs = stageNamed(file, 'build').instructions.filter((i) => i.keyword === 'RUN');
    expect(runs.at(-1)?.args).toBe(pruneCommand(image));
  });

  it('copies only the pruned app from the build stage and installs production dependencies only', () => {
    const fromBuild = runtime.instructions.filter((i) => i.keyword === 'COPY' && flagValue(i, 'from') === 'build');
    for (const copy of fromBuild) {
      expect(copy.args.startsWith(`/repo/${image.appDir}/dist`)).toBe(true);
    }
    const installs = runtime.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install)\b/.test(i.args) && !/npm install -g "npm@/.test(i.args));
    expect(installs.map((i) => i.args)).toEqual(['npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force']);
  });

  it('takes its version from the VERSION and GIT_COMMIT build args (no defaults) and labels the image with them', () => {
    expect(file.globalArgs.has('VERSION')).toBe(true);
    expect(file.globalArgs.get('VERSION')).toBe(undefined);
    expect(file.globalArgs.has('GIT_COMMIT')).toBe(true);
    expect(file.globalArgs.get('GIT_COMMIT')).toBe(undefined);
    const guard = runtime.instructions.find((i) => i.keyword === 'RUN' && i.args.startsWith('test -n "${VERSION}" && test -n "${GIT_COMMIT}"'));
    expect(guard, 'the runtime stage refuses to build without them').toBeDefined();
    const label = lastInstruction(runtime, 'LABEL')?.args ?? '';
    expect(label).toContain('org.opencontainers.image.version="${VERSION}"');
    expect(label).toContain('org.opencontainers.image.revision="${GIT_COMMIT}"');
  });

  it('runs as the unprivileged node user, with a HEALTHCHECK in exec form', () => {
    expect(lastInstruction(runtime, 'USER')?.args).toBe('node');
    const check = healthcheckOf(runtime);
    expect(check?.command[0]).toBe('node');
    expect(execForm(lastInstruction(runtime, 'ENTRYPOINT') ?? runtime.instructions[0])[0]).toBe('node');
  });
});

describe('image references', () => {
  it('no manifest, compose file or Dockerfile names a :latest tag', () => {
    const files = [
      ...readdirSync(path.join(REPO_ROOT, 'docker')).map((f) => `docker/${f}`),
      ...readdirSync(path.join(REPO_ROOT, 'deploy'), { recursive: true, encoding: 'utf8' }).map((f) => `deploy/${f}`),
    ].filter((f) => /\.(ya?ml|json)$|Dockerfile/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const relative of files) {
      expect(readFileSync(path.join(REPO_ROOT, relative), 'utf8'), relative).not.toMatch(/:latest\b/);
    }
  });
});

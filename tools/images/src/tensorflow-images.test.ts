// Static checks of the images' tensorflow backend (the host reproduction is
// tensorflow-stage.int.test.ts): every image builds it in a `tensorflow` stage with the shared
// script, takes only the built files into its runtime stage, checks them there, and runs on
// `tensorflow`; the versions that must agree do.

import { describe, expect, it } from 'vitest';

import { type Dockerfile, flagValue, stageEnv, stageNamed } from './dockerfile.js';
import {
  CPU_IMAGES,
  GPU_IMAGE,
  isCheckRun,
  lockedVersion,
  NATIVE_SCRIPT,
  nativeScriptSetting,
  readDockerfile,
  runtimeCopiesFrom,
  TENSORFLOW_STAGE,
} from './tensorflow-images.js';

const TFJS_NODE_VERSION = lockedVersion('@tensorflow/tfjs-node');

function runsOf(file: Dockerfile, stage: string): string[] {
  return stageNamed(file, stage)
    .instructions.filter((i) => i.keyword === 'RUN')
    .map((i) => i.args);
}

function runtimeStage(file: Dockerfile) {
  const stage = file.stages.at(-1);
  if (stage === undefined) {
    throw new Error('no stage');
  }
  return stage;
}

describe.each([...CPU_IMAGES, GPU_IMAGE])('%s', (relative) => {
  const file = readDockerfile(relative);
  const gpu = relative === GPU_IMAGE;
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';

  it('takes the route as a build arg, the download route by default, and pins the lockfile\'s tfjs-node version', () => {
    expect(file.globalArgs.get('TFJS_NODE_SOURCE')).toBe('download');
    expect(file.globalArgs.get('TFJS_NODE_VERSION')).toBe(TFJS_NODE_VERSION);
    expect(nativeScriptSetting('TFJS_NODE_VERSION')).toBe(TFJS_NODE_VERSION);
    const declared = stageNamed(file, TENSORFLOW_STAGE).instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args);
    expect(declared).toEqual(['TFJS_NODE_SOURCE', 'TFJS_NODE_VERSION']);
  });

  it(`builds ${pkg}'s native part in the tensorflow stage with ${NATIVE_SCRIPT}, libraries copied for the runtime`, () => {
    const stage = stageNamed(file, TENSORFLOW_STAGE);
    expect(stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toContain(`${NATIVE_SCRIPT} ./`);
    const runs = runsOf(file, TENSORFLOW_STAGE).join('\n');
    expect(runs).toContain(`--ignore-scripts`);
    expect(runs).toContain(`"${pkg}@\${TFJS_NODE_VERSION}"`);
    expect(runs).toContain(`bash tensorflow-native.sh --source "\${TFJS_NODE_SOURCE}" --libs copy node_modules/${pkg}`);
    // The toolchain is the stage's, not the runtime's.
    expect(runs).toMatch(/apt-get install .*build-essential/);
  });

  it('keeps the toolchain out of the runtime stage and runs the backend check there', () => {
    const runtime = runtimeStage(file);
    const runs = runtime.instructions.filter((i) => i.keyword === 'RUN');
    expect(runs.map((i) => i.args).join('\n')).not.toMatch(/build-essential|g\+\+|python3/);
    const checks = runs.filter(isCheckRun);
    expect(checks.map((i) => i.args)).toEqual([`node /tmp/check-tensorflow-backend.cjs ${pkg}`]);
    // After the runtime's node_modules and the tensorflow copies: the check sees what ships.
    const lastCopy = Math.max(...runtime.instructions.flatMap((i, index) => (i.keyword === 'COPY' ? [index] : [])).filter((index) => runtime.instructions[index].args.includes('node_modules')));
    expect(runtime.instructions.indexOf(checks[0])).toBeGreaterThan(lastCopy);
  });

  it('runs the apps on the tensorflow backend', () => {
    expect(stageEnv(runtimeStage(file)).get('METAREC_BACKEND')).toBe('tensorflow');
  });

  if (!gpu) {
    it('copies exactly the addon (lib/) and TensorFlow\'s library (deps/lib) into the installed tfjs-node', () => {
      expect(runtimeCopiesFrom(file, TENSORFLOW_STAGE).map((i) => i.args)).toEqual([
        '/tensorflow/node_modules/@tensorflow/tfjs-node/lib node_modules/@tensorflow/tfjs-node/lib',
        '/tensorflow/node_modules/@tensorflow/tfjs-node/deps/lib node_modules/@tensorflow/tfjs-node/deps/lib',
      ]);
    });
  }
});

describe('the CPU images', () => {
  it('share one tensorflow stage (so reproducing one reproduces all, and they cannot drift apart)', () => {
    const stages = CPU_IMAGES.map((relative) =>
      stageNamed(readDockerfile(relative), TENSORFLOW_STAGE).instructions.map(({ keyword, flags, args }) => ({ keyword, flags, args })),
    );
    expect(stages).toHaveLength(2);
    expect(stages[1]).toEqual(stages[0]);
  });
});

describe(GPU_IMAGE, () => {
  const file = readDockerfile(GPU_IMAGE);

  it('builds on the CUDA runtime image that matches the route\'s TensorFlow build', () => {
    expect(file.globalArgs.get('CUDA_IMAGE_DOWNLOAD')).toBe('nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04');
    expect(file.globalArgs.get('CUDA_IMAGE_REGISTRY')).toBe('nvidia/cuda:12.5.1-cudnn-runtime-ubuntu22.04');
    expect(stageNamed(file, 'cuda-download').from).toBe('${CUDA_IMAGE_DOWNLOAD}');
    expect(stageNamed(file, 'cuda-registry').from).toBe('${CUDA_IMAGE_REGISTRY}');
    expect(stageNamed(file, 'cuda-node').from).toBe('cuda-${TFJS_NODE_SOURCE}');
    expect(stageNamed(file, TENSORFLOW_STAGE).from).toBe('cuda-node');
    expect(runtimeStage(file).from).toBe('cuda-node');
  });

  it('adds the whole tfjs-node-gpu package to the production install of the serving app (no CPU addon or library)', () => {
    const copies = runtimeStage(file).instructions.filter((i) => i.keyword === 'COPY');
    expect(copies.map((i) => [flagValue(i, 'from'), i.args])).toEqual([
      ['build', '/repo/apps/serving/dist/package.json /repo/apps/serving/dist/package-lock.json ./'],
      ['build', '/repo/apps/serving/dist/workspace_modules ./workspace_modules'],
      [TENSORFLOW_STAGE, '/tensorflow/node_modules/@tensorflow/tfjs-node-gpu node_modules/@tensorflow/tfjs-node-gpu'],
      ['build', '/repo/apps/serving/dist ./'],
    ]);
    // The production install runs with --ignore-scripts: tfjs-node's JS only, its native part never built.
    expect(runsOf(file, 'runtime').join('\n')).toMatch(/npm ci --omit=dev .*--ignore-scripts/);
  });
});

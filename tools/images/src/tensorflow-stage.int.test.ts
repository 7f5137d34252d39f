// The CPU images' `tensorflow` stage and the runtime's copy of it, reproduced on the host with the
// registry route (TFJS_NODE_SOURCE=registry: the one our machines can run; the download route needs
// Google's storage). The stage's instructions are read from each Dockerfile and run in a temp dir,
// with the same tensorflow-native.sh and its cache (~/.cache/metarec/tensorflow, filled by
// `npm run setup:tensorflow`: then ~1 s, else a ~270 MB download and a ~20 s build). A runtime dir
// gets a production install of tfjs-node's JS, as the image's `npm ci` brings it, then exactly the
// runtime stage's `COPY --from=tensorflow` and its check RUN (a second-order gradient through the
// app's tfjs on the `tensorflow` backend). A Dockerfile that forgets a file fails here.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Dockerfile, stageNamed } from './dockerfile.js';
import { type HostStage, reproduceRuntimeCopies, reproduceStage } from './host-stage.js';
import { CPU_IMAGES, isCheckRun, isToolchainInstall, lockedVersion, readDockerfile, REPO_ROOT, TENSORFLOW_STAGE } from './tensorflow-images.js';

const run = promisify(execFile);

async function onPath(tool: string): Promise<boolean> {
  try {
    await run('/bin/sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    // `command -v` exits non-zero when the tool is missing: that is the answer, not an error.
    return false;
  }
}

/** Why the reproduction cannot run on this machine, or undefined when it can. */
async function skipReason(): Promise<string | undefined> {
  if (platform() !== 'linux' || arch() !== 'x64') {
    return `TensorFlow's wheels and tfjs-node's addon are Linux x86_64 only, this is ${platform()}/${arch()}`;
  }
  if (process.env['METAREC_SKIP_TENSORFLOW_SETUP'] === '1') {
    return 'METAREC_SKIP_TENSORFLOW_SETUP=1: the tensorflow backend is skipped on purpose';
  }
  const missing = [];
  for (const tool of ['make', 'g++', 'python3', 'strip']) {
    if (!(await onPath(tool))) {
      missing.push(tool);
    }
  }
  // As root with apt-get the script installs the toolchain itself.
  if (missing.length > 0 && !(userInfo().uid === 0 && (await onPath('apt-get')))) {
    return `the build toolchain is missing (${missing.join(', ')}): apt-get install build-essential python3-pip`;
  }
  return undefined;
}

const reason = await skipReason();
if (reason !== undefined && process.env['CI'] === 'true') {
  throw new Error(`CI=true: the images' tensorflow stage test never skips, but ${reason}`);
}

const TFJS_NODE = '@tensorflow/tfjs-node';

describe.skipIf(reason !== undefined)(`the CPU images' tensorflow stage on the host, registry route${reason === undefined ? '' : ` (skipped: ${reason})`}`, () => {
  let work: string;
  /** node_modules of a production install of tfjs-node's JS (no addon, no library). */
  let runtimeModules: string;
  /** Reproduced stages by their instructions: identical stages are built once. */
  const stages = new Map<string, Promise<HostStage>>();

  const stageOf = (file: Dockerfile): Promise<HostStage> => {
    const key = JSON.stringify(stageNamed(file, TENSORFLOW_STAGE).instructions.map(({ keyword, flags, args }) => ({ keyword, flags, args })));
    let stage = stages.get(key);
    if (stage === undefined) {
      stage = reproduceStage(file, TENSORFLOW_STAGE, {
        context: REPO_ROOT,
        dir: path.join(work, `stage-${stages.size}`),
        buildArgs: { TFJS_NODE_SOURCE: 'registry' },
        hostProvides: isToolchainInstall,
      });
      stages.set(key, stage);
    }
    return stage;
  };

  /** A runtime dir with the production JS install, then the Dockerfile's copies and check. */
  let runtimes = 0;
  const runtime = async (relative: string, skipCopy?: (source: string) => boolean): Promise<string> => {
    const file = readDockerfile(relative);
    const stage = await stageOf(file);
    const dir = path.join(work, `runtime-${(runtimes += 1)}-${path.basename(relative)}`);
    await mkdir(dir);
    // Hard links: each runtime dir costs nothing, and the copies below add files, never change them.
    await run('cp', ['-a', '--link', runtimeModules, path.join(dir, 'node_modules')]);
    const outputs = await reproduceRuntimeCopies(file, { context: REPO_ROOT, dir, from: new Map([[TENSORFLOW_STAGE, stage]]), runs: isCheckRun, skipCopy });
    expect(outputs, `${relative}: one check RUN`).toHaveLength(1);
    return outputs[0];
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'metarec-images-'));
    const js = path.join(work, 'runtime-js');
    await mkdir(js);
    await run('npm', ['init', '-y'], { cwd: js });
    // The stage (npm install + script) and the runtime's install are independent: run them together.
    await Promise.all([
      stageOf(readDockerfile(CPU_IMAGES[0])),
      run('npm', ['install', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', `${TFJS_NODE}@${lockedVersion(TFJS_NODE)}`], { cwd: js }),
    ]);
    runtimeModules = path.join(js, 'node_modules');
  });

  afterAll(async () => {
    if (work !== undefined) {
      await rm(work, { recursive: true, force: true });
    }
  });

  for (const relative of CPU_IMAGES) {
    it(`${relative}: the runtime stage loads tfjs-node on TensorFlow 2.21.0 and computes a second-order gradient`, async () => {
      const output = await runtime(relative);
      expect(JSON.parse(output.trim().split('\n').at(-1) ?? '')).toEqual({
        package: TFJS_NODE,
        tfjsNode: lockedVersion(TFJS_NODE),
        backend: 'tensorflow',
        tensorflow: '2.21.0',
      });
    });
  }

  it('a runtime stage that leaves out deps/lib (TensorFlow\'s library) fails its check', async () => {
    await expect(runtime('docker/Dockerfile.serving', (source) => source.endsWith('/deps/lib'))).rejects.toThrow(/libtensorflow_cc\.so\.2/);
  });

  it('a runtime stage that leaves out lib/ (the addon) fails its check', async () => {
    await expect(runtime('docker/Dockerfile.serving', (source) => source.endsWith('/tfjs-node/lib'))).rejects.toThrow(/tfjs_binding\.node/);
  });
});

// What the images' tensorflow backend is made of, read from the repository: which Dockerfiles have
// it, the stage that builds it, the check their runtime stage runs, and the versions that must agree.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { type Dockerfile, flagValue, type Instruction, mountOptions, parseDockerfile } from './dockerfile.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Images that run on the CPU with @tensorflow/tfjs-node. */
export const CPU_IMAGES = ['docker/Dockerfile.trainer', 'docker/Dockerfile.serving'] as const;
/** The serving image with @tensorflow/tfjs-node-gpu on CUDA. */
export const GPU_IMAGE = 'docker/Dockerfile.serving-gpu';
/** The build stage that puts the addon and TensorFlow's library in place. */
export const TENSORFLOW_STAGE = 'tensorflow';
/** Shared by the stage, `npm run setup:tensorflow` and the reproduction. */
export const NATIVE_SCRIPT = 'tools/scripts/tensorflow-native.sh';
/** Bind-mounted into the runtime stage: loads the backend through the app's tfjs and computes on it. */
export const CHECK_SCRIPT = 'docker/check-tensorflow-backend.cjs';

export function readDockerfile(relative: string): Dockerfile {
  return parseDockerfile(readFileSync(path.join(REPO_ROOT, relative), 'utf8'));
}

/** The version of `name` that package-lock.json installs at the top of node_modules. */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) {
    throw new Error(`package-lock.json installs no node_modules/${name}`);
  }
  return version;
}

/** A `NAME=value` assignment at the start of a line of the native script (its pinned versions). */
export function nativeScriptSetting(name: string): string {
  const text = readFileSync(path.join(REPO_ROOT, NATIVE_SCRIPT), 'utf8');
  const match = new RegExp(`^${name}=(\\S+)$`, 'm').exec(text);
  if (match === null) {
    throw new Error(`${NATIVE_SCRIPT} sets no ${name}`);
  }
  return match[1];
}

/** The runtime stage's RUN that bind-mounts and runs the check script. */
export function isCheckRun(instruction: Instruction): boolean {
  return (
    instruction.keyword === 'RUN' &&
    instruction.flags.some((f) => f.name === 'mount' && mountOptions(f.value).get('type') === 'bind' && mountOptions(f.value).get('source') === CHECK_SCRIPT)
  );
}

/** The build stage's toolchain install: on the host the toolchain is already there (the test is gated on it). */
export function isToolchainInstall(command: string): boolean {
  return /^apt-get update\b/.test(command);
}

/** The `COPY --from=<stage>` instructions of the last stage. */
export function runtimeCopiesFrom(file: Dockerfile, stage: string): Instruction[] {
  return (file.stages.at(-1)?.instructions ?? []).filter((i) => i.keyword === 'COPY' && flagValue(i, 'from') === stage);
}

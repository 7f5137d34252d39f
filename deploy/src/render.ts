// Renders the Kustomize overlays with deploy/check (a Go program on the kustomize library that
// decodes every object strictly into its Kubernetes API type) and returns the objects. The checker
// is built once into node_modules/.cache (Go's build cache makes later builds take a second).

import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const DEPLOY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(DEPLOY_DIR, '..');
export const OVERLAYS = ['local', 'production', 'gpu-serving'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** A rendered Kubernetes object (the fields the tests read; the checker has decoded all of them). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Readonly<Record<string, string>>;
}

export function overlayDir(overlay: Overlay): string {
  return path.join(DEPLOY_DIR, 'k8s', 'overlays', overlay);
}

/** Why the checker cannot be built here (no Go), or undefined. */
export async function goMissing(): Promise<string | undefined> {
  try {
    await run('go', ['version']);
    return undefined;
  } catch (e) {
    return `go is not installed (${(e as Error).message.split('\n')[0]})`;
  }
}

/** Builds deploy/check and returns the binary's path. */
export async function buildChecker(): Promise<string> {
  const out = path.join(REPO_ROOT, 'node_modules', '.cache', 'metarec-deploy', 'check');
  await mkdir(path.dirname(out), { recursive: true });
  await run('go', ['build', '-o', out, '.'], { cwd: path.join(DEPLOY_DIR, 'check'), maxBuffer: 16 * 1024 * 1024 });
  return out;
}

/** Renders `dirs` with the checker. @throws Error with the checker's message when one does not render or decode strictly. */
export async function renderStrict(checker: string, dirs: readonly string[]): Promise<Map<string, K8sObject[]>> {
  try {
    const { stdout } = await run(checker, [...dirs], { maxBuffer: 64 * 1024 * 1024 });
    const rendered = new Map<string, K8sObject[]>();
    for (const line of stdout.trim().split('\n')) {
      const { dir, objects } = JSON.parse(line) as { dir: string; objects: K8sObject[] };
      rendered.set(dir, objects);
    }
    return rendered;
  } catch (e) {
    const failure = e as { stderr?: string; message: string };
    throw new Error((failure.stderr ?? '').trim() || failure.message, { cause: e });
  }
}

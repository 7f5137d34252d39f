// The per-app images: which Dockerfile builds which app, the Nx project whose `prune` target the
// build stage runs, and how the runtime stage is started and checked on the host.

/** One image of an app. */
export interface AppImage {
  /** Image name (`metarec/<image>:<version>-<commit>`, see docker/build-image.sh). */
  readonly image: string;
  readonly dockerfile: string;
  /** The Nx project of the app (its `prune` target writes apps/<app>/dist). */
  readonly project: string;
  /** The app's directory in the repository. */
  readonly appDir: string;
  /** The environment variable of the app's HTTP port (the HEALTHCHECK reads it). */
  readonly portEnv: string;
  /** The build stage that makes the tensorflow backend, when the image has one. */
  readonly tensorflow: 'cpu' | 'gpu' | undefined;
}

export const APP_IMAGES: readonly AppImage[] = [
  { image: 'ingest', dockerfile: 'docker/Dockerfile.ingest', project: '@metarec/ingest', appDir: 'apps/ingest', portEnv: 'INGEST_PORT', tensorflow: undefined },
  { image: 'registry', dockerfile: 'docker/Dockerfile.registry', project: '@metarec/registry-app', appDir: 'apps/registry', portEnv: 'REGISTRY_PORT', tensorflow: undefined },
  { image: 'serving', dockerfile: 'docker/Dockerfile.serving', project: '@metarec/serving-app', appDir: 'apps/serving', portEnv: 'SERVING_PORT', tensorflow: 'cpu' },
  { image: 'serving-gpu', dockerfile: 'docker/Dockerfile.serving-gpu', project: '@metarec/serving-app', appDir: 'apps/serving', portEnv: 'SERVING_PORT', tensorflow: 'gpu' },
  { image: 'trainer', dockerfile: 'docker/Dockerfile.trainer', project: '@metarec/trainer', appDir: 'apps/trainer', portEnv: 'TRAINER_PORT', tensorflow: 'cpu' },
];

/** The build stage's RUN that builds and prunes the app. */
export function pruneCommand(image: AppImage): string {
  return `npx nx run ${image.project}:prune --outputStyle=static`;
}

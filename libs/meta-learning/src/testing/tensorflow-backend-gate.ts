// Test gate for suites that also run on the `tensorflow` backend (tfjs-node), which only exists
// after `npm run setup:tensorflow` has built its native addon. Locally such a suite is skipped with
// the reason; CI sets METAREC_REQUIRE_TENSORFLOW=1 so that a missing backend fails instead.

/** Env var that turns "tensorflow backend absent" from a skip into a failure (CI). */
export const REQUIRE_TENSORFLOW_ENV = 'METAREC_REQUIRE_TENSORFLOW';

const TFJS_NODE = '@tensorflow/tfjs-node';

/** Whether suites can run on `tensorflow` here; `detail` says why not (for the skip message). */
export interface TensorflowAvailability {
  readonly available: boolean;
  readonly detail: string;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Imports tfjs-node (which registers the `tensorflow` backend without activating it, so the caller's
 * own backend choice is untouched). Absent package or unbuilt addon → unavailable, unless
 * `METAREC_REQUIRE_TENSORFLOW=1`; an installed addon that fails to load always throws (a broken
 * install is never a silent skip).
 * @throws Error when the backend is required but absent, or installed but broken.
 */
export async function probeTensorflowBackend(
  env: Readonly<Record<string, string | undefined>> = process.env,
  importModule: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<TensorflowAvailability> {
  try {
    await importModule(TFJS_NODE);
    return { available: true, detail: 'tensorflow backend available' };
  } catch (e) {
    const message = messageOf(e);
    const code = (e as { code?: unknown } | null)?.code;
    const absent = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${TFJS_NODE}'`);
    const unbuilt = message.includes('tfjs_binding.node) can not be found');
    if (!absent && !unbuilt) {
      throw new Error(`${TFJS_NODE} is installed but does not load: ${message}`, { cause: e });
    }
    const detail = `${absent ? `${TFJS_NODE} not installed` : `${TFJS_NODE} native addon not built`}; run \`npm run setup:tensorflow\``;
    if (env[REQUIRE_TENSORFLOW_ENV] === '1') {
      throw new Error(`${REQUIRE_TENSORFLOW_ENV}=1 but the tensorflow backend is unavailable: ${detail}`, { cause: e });
    }
    return { available: false, detail };
  }
}

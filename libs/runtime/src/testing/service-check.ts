import { connect } from 'node:net';

/** The dev services integration tests run against (started by `npm run services:up`). */
export type ServiceName = 'kafka' | 'redis' | 'postgres';

/** Env variable and default address of each service; defaults match tools/dev-services. */
export const SERVICE_DEFAULTS: Readonly<Record<ServiceName, { readonly variable: string; readonly address: string }>> = {
  kafka: { variable: 'KAFKA_BROKERS', address: 'localhost:9092' },
  redis: { variable: 'REDIS_URL', address: 'redis://localhost:6380' },
  postgres: { variable: 'DATABASE_URL', address: 'postgres://metarec:metarec@localhost:55432/metarec' },
};

/** A TCP connect that takes longer than this means the service is not there. */
const PROBE_TIMEOUT_MS = 1_000;

/** Whether a service answered, with the address to hand to the client under test. */
export type ServiceCheck =
  | { readonly service: ServiceName; readonly available: true; readonly address: string }
  | { readonly service: ServiceName; readonly available: false; readonly address: string; readonly skipReason: string };

/** Thrown under `CI=true` when a service is absent: in CI no integration test may skip. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  readonly code = 'RT_SERVICE_UNAVAILABLE';

  constructor(message: string) {
    super(message);
  }
}

function hostPort(service: ServiceName, address: string): { host: string; port: number } {
  // KAFKA_BROKERS is a host:port list; the others are URLs. Probe the first broker only.
  const first = service === 'kafka' ? `kafka://${address.split(',')[0]?.trim() ?? ''}` : address;
  const url = new URL(first);
  return { host: url.hostname, port: Number(url.port) };
}

function tcpReachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Finds a dev service for an integration test: reads its address from the environment (or the
 * dev-services default) and checks that it accepts TCP connections. Locally an absent service
 * yields `available: false` with a reason naming `npm run services:up` (use `describe.skipIf`);
 * with `CI=true` it throws instead, so CI never passes by skipping.
 *
 * @throws ServiceUnavailableError (`RT_SERVICE_UNAVAILABLE`) under `CI=true` when unreachable.
 */
export async function checkService(
  service: ServiceName,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ServiceCheck> {
  const { variable, address: fallback } = SERVICE_DEFAULTS[service];
  const address = env[variable] ?? fallback;
  const { host, port } = hostPort(service, address);
  if (await tcpReachable(host, port)) {
    return { service, available: true, address };
  }
  const skipReason = `${service} is not reachable at ${address} (${variable}); start it with: npm run services:up`;
  if (env['CI'] === 'true') {
    throw new ServiceUnavailableError(`${skipReason}. CI=true: integration tests never skip.`);
  }
  return { service, available: false, address, skipReason };
}

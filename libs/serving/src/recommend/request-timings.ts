/** The stages of a request, in the order they run. */
export type RequestStage = 'user' | 'candidates' | 'profiles' | 'encode' | 'queue' | 'adapt' | 'score' | 'rank';

/** Every stage, in order (metrics labels, `Server-Timing` entries). */
export const REQUEST_STAGES: readonly RequestStage[] = ['user', 'candidates', 'profiles', 'encode', 'queue', 'adapt', 'score', 'rank'];

/** Milliseconds spent per stage of one request (stages that did not run are absent). */
export type StageTimings = Readonly<Partial<Record<RequestStage, number>>>;

/**
 * A lap timer over one request: `lap(stage)` charges the time since the previous lap to `stage`.
 * Costs two `performance.now()` reads per stage, so it stays on in production (the per-stage
 * histogram and the `Server-Timing` header are how the request path is profiled).
 */
export class RequestTimer {
  readonly ms: Partial<Record<RequestStage, number>> = {};
  private last = performance.now();

  /** Charges the time since the last lap (or construction) to `stage`. */
  lap(stage: RequestStage): void {
    const now = performance.now();
    this.ms[stage] = (this.ms[stage] ?? 0) + (now - this.last);
    this.last = now;
  }

  /** Restarts the clock without charging anything (time spent elsewhere, e.g. waiting in a queue). */
  skip(): void {
    this.last = performance.now();
  }
}

/** `Server-Timing` header value (RFC: W3C Server Timing), durations in ms with µs precision. */
export function serverTimingHeader(timings: StageTimings): string {
  const parts: string[] = [];
  for (const stage of REQUEST_STAGES) {
    const ms = timings[stage];
    if (ms !== undefined) {
      parts.push(`${stage};dur=${ms.toFixed(3)}`);
    }
  }
  return parts.join(', ');
}

// What the pipeline asks the running serving app: an existing user, a brand-new user (onboarding,
// feedback, adapted answer), a new item, and a latency sample.

/** A recommendation response (the fields the pipeline reads). */
export interface RecsResponse {
  readonly path: string;
  readonly modelVersion: number;
  readonly supportCount: number;
  /** Candidates the ranking scored. */
  readonly candidateCount: number;
  readonly items: readonly { readonly itemId: string; readonly score: number }[];
  readonly degraded: readonly string[];
}

/** What the new user went through. */
export interface NewUserJourney {
  readonly userId: string;
  readonly onboarding: readonly string[];
  readonly rated: readonly { readonly itemId: string; readonly value: number }[];
  readonly before: RecsResponse;
  readonly after: RecsResponse;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json()) as T;
  if (!response.ok) {
    throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

/** `GET /v1/users/:id/recommendations?k=`. */
export function recommend(url: string, userId: string, k: number): Promise<RecsResponse> {
  return json<RecsResponse>(`${url}/v1/users/${encodeURIComponent(userId)}/recommendations?k=${k}`);
}

/** Onboarding → ratings of the first three asked items → adapted recommendations. */
export async function newUserJourney(url: string, userId: string, k: number): Promise<NewUserJourney> {
  const before = await recommend(url, userId, k);
  const asked = await json<{ items: { itemId: string }[]; feedbackToken?: string }>(`${url}/v1/users/${encodeURIComponent(userId)}/onboarding?k=5`);
  const onboarding = asked.items.map((i) => i.itemId);
  const values = [5, 2, 4];
  const rated = onboarding.slice(0, 3).map((itemId, n) => ({ itemId, value: values[n] ?? 3 }));
  for (const [n, r] of rated.entries()) {
    await json(`${url}/v1/feedback`, {
      method: 'POST',
      // The user's own session token, as a browser would post it.
      headers: { 'content-type': 'application/json', authorization: `Bearer ${asked.feedbackToken ?? ''}` },
      body: JSON.stringify({ user_id: userId, item_id: r.itemId, event_type: 'rating', value: r.value, timestamp_ms: Date.now() + n }),
    });
  }
  const after = await recommend(url, userId, k);
  return { userId, onboarding, rated, before, after };
}

/** Client-side latency of `requests` sequential recommendation requests over `userIds`, ms (`samplesMs` in request order). */
export async function latencySample(url: string, userIds: readonly string[], requests: number, k: number): Promise<{ p50Ms: number; p99Ms: number; paths: Record<string, number>; samplesMs: number[] }> {
  const times: number[] = [];
  const paths: Record<string, number> = {};
  for (let n = 0; n < requests; n++) {
    const t0 = performance.now();
    const r = await recommend(url, userIds[n % userIds.length], k);
    times.push(performance.now() - t0);
    paths[r.path] = (paths[r.path] ?? 0) + 1;
  }
  const samplesMs = times.map((t) => Math.round(t * 100) / 100);
  times.sort((a, b) => a - b);
  const at = (p: number): number => Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] * 100) / 100;
  return { p50Ms: at(0.5), p99Ms: at(0.99), paths, samplesMs };
}

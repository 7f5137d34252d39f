import type { WholePipelineSummary } from './run-whole-pipeline.js';

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
}

function top(items: readonly { itemId: string; score: number }[], n: number): string {
  return items
    .slice(0, n)
    .map((i) => `${i.itemId} ${i.score.toFixed(2)}`)
    .join(', ');
}

/** Standard errors a win must clear to be called better (about 95% two-sided). */
const SIGNIFICANT_SE = 2;

/** 'NOT better' unless lower; 'better' only beyond two standard errors of the paired per-user difference. */
function coldVerdict(c: NonNullable<WholePipelineSummary['coldUserMae']>, paired: WholePipelineSummary['heldOut']['vsBest']): string {
  if (c.model >= c.bestBaseline.mae) {
    return 'NOT better';
  }
  if (paired.baseline !== c.bestBaseline.name) {
    return 'better';
  }
  const delta = `${paired.difference.toFixed(3)} ± ${paired.se.toFixed(3)} per user`;
  return -paired.difference > SIGNIFICANT_SE * paired.se ? `better: ${delta}` : `NOT significantly better: ${delta}, within ${SIGNIFICANT_SE} SE`;
}

function newItemLine(n: WholePipelineSummary['newItem']): string {
  const twin = `its content twin ${n.twin.itemId} (trained id): ${n.twin.rank === null ? 'not ranked' : `rank ${n.twin.rank}, score ${n.twin.score?.toFixed(2)}`}`;
  if (n.rank === null) {
    return `${n.itemId}: NOT among the ${n.candidateCount} candidates for ${n.userId}; ${twin}`;
  }
  return `${n.itemId}: in the candidates, rank ${n.rank} of ${n.ranked} for ${n.userId}, score ${n.score?.toFixed(2)} (content features, no id embedding); ${twin}`;
}

function fixed(v: number | null | undefined, digits = 3): string {
  return typeof v === 'number' ? v.toFixed(digits) : 'n/a';
}

/**
 * The list a user sees, model against popularity (the trainer's held-out nDCG@10, recall@10 and
 * AUC of liked query items among sampled unrated items); null when the trainer printed no list metrics.
 */
function listLine(e: WholePipelineSummary['training']['evaluation']): string | null {
  const pop = e?.baselines['popularity'];
  if (e === null || e.list === undefined || e.model.ndcg10 === undefined || pop === undefined) {
    return null;
  }
  const m = e.model;
  const verdict = typeof m.ndcg10 === 'number' && typeof pop.ndcg10 === 'number' && m.ndcg10 > pop.ndcg10 ? 'better' : 'NOT better';
  const network = e.network === undefined ? '' : ` (list head; network alone ${fixed(e.network.ndcg10)})`;
  return (
    `            list nDCG@${e.list.cutoff} ${fixed(m.ndcg10)}${network} vs popularity ${fixed(pop.ndcg10)} (${verdict}); recall@${e.list.cutoff} ${fixed(m.recall10)} vs ${fixed(pop.recall10)}, AUC ${fixed(m.auc)} vs ${fixed(pop.auc)} ` +
    `(query items rated >= ${e.list.positiveThreshold} among ${e.list.negativeCount} sampled unrated items; ${e.users - e.list.usersWithoutPositives} users with one)`
  );
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Options of {@link formatWholeSummary}. */
export interface FormatWholeSummaryOptions {
  /** The apps are still up (`--keep-running`): the links answer now. @defaultValue false */
  readonly keepRunning?: boolean;
}

/** The whole pipeline's summary as terminal lines. */
export function formatWholeSummary(s: WholePipelineSummary, options: FormatWholeSummaryOptions = {}): string[] {
  const t = s.timingsMs;
  const late = s.data.newUsers + s.data.newItems > 0 ? [` (${s.data.newUsers} arriving late)`, ` (${s.data.newItems} released late)`] : ['', ''];
  const train = t['train (coordinator + 2 workers) + evaluate + register'] ?? 0;
  const lines = [
    `run ${s.runId}`,
    `backend     ${s.backend}`,
    `data        ${s.data.name}: ${s.data.users} users${late[0]}, ${s.data.items} items${late[1]}, ${s.data.events} events of ${day(s.data.span.firstMs)}..${day(s.data.span.lastMs)} replayed through Kafka in event-time order; produced ${mib(s.data.producedBytes)}, offline store ${mib(s.data.offlineStoreBytes)}`,
    `co-occur    rebuild job: ${s.coOccurrence.pairs} item pairs for ${s.coOccurrence.items} items from ${s.coOccurrence.interactions} interactions in ${(s.coOccurrence.ms / 1000).toFixed(1)} s`,
    `training    ${s.training.steps} meta-steps${s.training.stoppedEarly ? ' (stopped early)' : ''}, parameters of step ${s.training.bestStep} kept (best on validation users), coordinator + 2 workers, ${(train / 1000).toFixed(1)} s (run ${s.training.runId})`,
  ];
  if (s.coldUserMae === null) {
    lines.push('cold users  no held-out evaluation in this run');
  } else {
    const c = s.coldUserMae;
    const verdict = coldVerdict(c, s.heldOut.vsBest);
    lines.push(`cold users  held-out MAE ${c.model.toFixed(3)} vs best baseline ${c.bestBaseline.name} ${c.bestBaseline.mae.toFixed(3)} (${verdict}; ${s.training.evaluation?.users ?? 0} users)`);
  }
  const list = listLine(s.training.evaluation);
  if (list !== null) {
    lines.push(list);
  }
  const h = s.heldOut;
  lines.push(
    `            same ${h.users} users' query ratings: adapted ${h.adapted.toFixed(3)}, unadapted prior ${h.unadapted.toFixed(3)}; ` +
      `baselines bias ${h.baselines.bias.toFixed(3)}, itemMean ${h.baselines.itemMean.toFixed(3)}, userMean ${h.baselines.userMean.toFixed(3)}, globalMean ${h.baselines.globalMean.toFixed(3)}`,
    `            by support size (first k ratings; model vs bias; shrinkage κ ${h.shrinkage}): ${h.curve.map((c) => `${c.support} → ${c.model.toFixed(3)} vs ${c.bias.toFixed(3)}`).join(', ')}, all → ${h.adapted.toFixed(3)} vs ${h.baselines.bias.toFixed(3)}`,

  );
  if (h.unknownItems !== null) {
    lines.push(`            query items scored as new items (item_id unknown, content kept): adapted ${h.unknownItems.adapted.toFixed(3)}, mean |shift| ${h.unknownItems.meanAbsShift.toFixed(3)} stars`);
  }
  lines.push(
    `registry    v${s.promotion.version} promoted to production; gate: ${s.promotion.decision}`,
    `existing    ${s.existingUser.userId}: path ${s.existingUser.response.path} (v${s.existingUser.response.modelVersion}, ${s.existingUser.response.supportCount} ratings): ${top(s.existingUser.response.items, 3)}`,
    `new user    ${s.newUser.userId}: ${s.newUser.before.path} → onboarding asks ${s.newUser.onboarding.join(', ')}`,
    `            rated ${s.newUser.rated.map((r) => `${r.itemId}=${r.value}`).join(', ')} → path ${s.newUser.after.path} (${s.newUser.after.supportCount} ratings): ${top(s.newUser.after.items, 3)}`,
    `new item    ${newItemLine(s.newItem)}`,
    `serving     p50 ${s.latency.p50Ms} ms, p99 ${s.latency.p99Ms} ms over loopback (${Object.entries(s.latency.paths).map(([p, n]) => `${p} ${n}`).join(', ')})`,
    `stages      ${Object.entries(t).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(' | ')}`,
    `report      ${s.urls.report}`,
    `            (data, training curve, evaluation with baselines, cold-start curve, latency histogram, lineage; one self-contained HTML file)`,
    `lineage     ${s.urls.lineage}`,
    `urls        registry page ${s.urls.registryPage}`,
    `            serving ${s.urls.serving}/v1/users/<id>/recommendations`,
    options.keepRunning === true
      ? '            the apps stay up until Ctrl-C: open the registry page now'
      : '            the apps have stopped; run again with --keep-running (npm run pipeline -- --keep-running) to keep them up and open the registry page',
  );
  return lines;
}

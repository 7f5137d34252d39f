import type { BundleMetrics } from '../manifest/bundle-manifest.js';

/** Which number the gate compares and how much worse a candidate may be. */
export interface PromotionGatePolicy {
  /** Scenario of the issue-3 protocol (`new_user`, `warm`, ...). */
  readonly scenario: string;
  /** Metric name in the scenario table (`ndcg10`, `mae`, ...). */
  readonly metric: string;
  /** `higher` for nDCG/recall/AUC, `lower` for MAE/RMSE. */
  readonly better: 'higher' | 'lower';
  /**
   * Largest allowed regression, absolute, in the metric's units (0.005 nDCG = half a point).
   * Evaluation noise over seeds makes an exact "not worse" gate flap between equal models.
   */
  readonly tolerance: number;
}

/** The default gate: cold-start ranking quality, half an nDCG point of slack. */
export const DEFAULT_PROMOTION_GATE_POLICY: PromotionGatePolicy = { scenario: 'new_user', metric: 'ndcg10', better: 'higher', tolerance: 0.005 };

/** The version on each side of the comparison. */
export interface GateSide {
  readonly version: number;
  readonly metrics: BundleMetrics | undefined;
}

/** The gate's verdict with its numbers (stored in the audit log, returned on refusal). */
export type GateDecision =
  | { readonly outcome: 'pass'; readonly reason: 'no-current-version'; readonly candidate: number; readonly policy: PromotionGatePolicy }
  | {
      readonly outcome: 'pass' | 'refuse';
      readonly reason: 'better' | 'within-tolerance' | 'worse-beyond-tolerance';
      readonly candidate: number;
      readonly current: number;
      readonly candidateValue: number;
      readonly currentValue: number;
      /** Change in the better direction: positive = the candidate is better. */
      readonly improvement: number;
      readonly evaluationSetId: string;
      readonly policy: PromotionGatePolicy;
    }
  | {
      readonly outcome: 'refuse';
      readonly reason: 'evaluation-set-mismatch';
      readonly candidate: number;
      readonly current: number;
      readonly candidateEvaluationSetId: string;
      readonly currentEvaluationSetId: string;
      readonly policy: PromotionGatePolicy;
    }
  | { readonly outcome: 'refuse'; readonly reason: 'metric-missing'; readonly candidate: number; readonly current: number; readonly missingOn: readonly number[]; readonly policy: PromotionGatePolicy };

function metricOf(side: GateSide, policy: PromotionGatePolicy): number | undefined {
  const metrics = side.metrics;
  if (metrics === undefined) {
    return undefined;
  }
  const value = metrics.scenarios[policy.scenario]?.[metrics.method]?.[policy.metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Decides whether `candidate` may replace `current` behind a gated alias. Pure: the caller
 * reads both versions' stored metrics and acts on the verdict. The two are compared only when
 * they were evaluated on the same held-out users (equal `evaluationSetId`); a number measured on
 * other users says nothing about which model is better.
 */
export function decidePromotion(policy: PromotionGatePolicy, candidate: GateSide, current: GateSide | null): GateDecision {
  if (current === null) {
    return { outcome: 'pass', reason: 'no-current-version', candidate: candidate.version, policy };
  }
  const candidateValue = metricOf(candidate, policy);
  const currentValue = metricOf(current, policy);
  if (candidateValue === undefined || currentValue === undefined) {
    const missingOn = [candidateValue === undefined ? candidate.version : null, currentValue === undefined ? current.version : null].filter((v): v is number => v !== null);
    return { outcome: 'refuse', reason: 'metric-missing', candidate: candidate.version, current: current.version, missingOn, policy };
  }
  const candidateSet = candidate.metrics?.evaluationSetId ?? '';
  const currentSet = current.metrics?.evaluationSetId ?? '';
  if (candidateSet !== currentSet) {
    return {
      outcome: 'refuse',
      reason: 'evaluation-set-mismatch',
      candidate: candidate.version,
      current: current.version,
      candidateEvaluationSetId: candidateSet,
      currentEvaluationSetId: currentSet,
      policy,
    };
  }
  const improvement = policy.better === 'higher' ? candidateValue - currentValue : currentValue - candidateValue;
  const reason = improvement >= 0 ? 'better' : improvement >= -policy.tolerance ? 'within-tolerance' : 'worse-beyond-tolerance';
  return {
    outcome: reason === 'worse-beyond-tolerance' ? 'refuse' : 'pass',
    reason,
    candidate: candidate.version,
    current: current.version,
    candidateValue,
    currentValue,
    improvement,
    evaluationSetId: candidateSet,
    policy,
  };
}

/** One line for logs and error messages, with the numbers. */
export function describeGateDecision(decision: GateDecision): string {
  const { policy } = decision;
  const metric = `${policy.scenario}/${policy.metric}`;
  switch (decision.reason) {
    case 'no-current-version':
      return `v${decision.candidate}: no current version, nothing to compare`;
    case 'metric-missing':
      return `${metric} missing on version(s) ${decision.missingOn.join(', ')}`;
    case 'evaluation-set-mismatch':
      return `v${decision.candidate} was evaluated on "${decision.candidateEvaluationSetId}", v${decision.current} on "${decision.currentEvaluationSetId}": not the same held-out users`;
    default:
      return `${metric}: v${decision.candidate} ${decision.candidateValue.toFixed(4)} vs v${decision.current} ${decision.currentValue.toFixed(4)} (${policy.better} is better, improvement ${decision.improvement.toFixed(4)}, tolerance ${policy.tolerance})`;
  }
}

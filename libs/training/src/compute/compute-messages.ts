import type { BackendName, MetaStepOptions, ModelConfig } from '@metarec/meta-learning';
import type { FeatureLayout, UserTask } from '@metarec/schemas';

/** A meta-step request sent to a compute thread (typed arrays are copied by structured clone). */
export interface ComputeRequest {
  readonly id: number;
  readonly featureLayout: FeatureLayout;
  readonly modelConfig: Partial<ModelConfig>;
  readonly params: Float32Array;
  readonly tasks: readonly UserTask[];
  readonly step: Partial<MetaStepOptions>;
}

/** A compute thread's answer. */
export type ComputeResponse =
  | { readonly id: number; readonly ok: true; readonly gradient: Float32Array; readonly taskCount: number; readonly loss: number; readonly computeMs: number }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string; readonly name: string };

/** Data a compute thread starts with. */
export interface ComputeThreadData {
  /** Backend to select in the thread (each thread has its own tfjs instance); undefined = fallback order. */
  readonly backend?: BackendName;
}

/** Log line a thread sends once its backend is selected. */
export interface ComputeReady {
  readonly ready: true;
  readonly backend: string;
  readonly reason: string;
}

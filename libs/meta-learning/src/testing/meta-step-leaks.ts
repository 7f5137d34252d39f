import * as tf from '@tensorflow/tfjs';
import type { UserTask } from '@metarec/schemas';

import { metaStep, type MetaAlgorithm } from '../algorithms/meta-step.js';
import type { MetaModel } from '../model/meta-model.js';
import type { FlatParams } from '../params/param-layout.js';

/**
 * Live tensors each algorithm leaves behind over `repeats` meta-steps, after one warm-up step (which
 * may create lasting backend state): the leak check every backend's meta-step suite runs. 0 = none.
 */
export function metaStepTensorLeaks(
  model: MetaModel,
  params: FlatParams,
  tasks: readonly UserTask[],
  algorithms: readonly MetaAlgorithm[] = ['maml', 'fomaml', 'reptile'],
  repeats = 10,
): Record<string, number> {
  const leaks: Record<string, number> = {};
  for (const algorithm of algorithms) {
    metaStep(model, params, tasks, { algorithm });
    const before = tf.memory().numTensors;
    for (let i = 0; i < repeats; i++) {
      metaStep(model, params, tasks, { algorithm });
    }
    leaks[algorithm] = tf.memory().numTensors - before;
  }
  return leaks;
}

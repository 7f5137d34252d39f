// Public surface of @metarec/meta-learning, one section per folder. Owners append only to their own section.

// errors
export type { MetaLearningErrorCode } from './errors.js';
export { MetaLearningError } from './errors.js';

// params/
export type { FlatParams, ParamEntry, ParamLayout, ParamSpec } from './params/param-layout.js';
export {
  assertFlatSize,
  assertLayoutsEqual,
  createParamLayout,
  layoutEntry,
  layoutsEqual,
  subLayout,
  zerosFor,
} from './params/param-layout.js';
export type { NamedTensors } from './params/flat-params.js';
export { flattenTensors, paramView, unflattenToTensors } from './params/flat-params.js';

// runtime/ (runtime helper)

// persistence/ (runtime helper)

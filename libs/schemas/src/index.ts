export type { CategoricalField, FeatureLayout } from './encoding/feature-layout.js';
export type { EncodedRows, UserTask } from './encoding/encoded-rows.js';
export { assertRowsMatchLayout } from './encoding/encoded-rows.js';

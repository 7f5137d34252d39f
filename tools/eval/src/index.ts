export { ratingsTableFromDataset } from './dataset-table.js';

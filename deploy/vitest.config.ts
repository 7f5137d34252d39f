import { defineConfig } from 'vitest/config';

import { unitTestConfig } from '../vitest.shared.js';

// Default export: vitest loads its config this way (see the lint allow-list).
export default defineConfig(unitTestConfig());

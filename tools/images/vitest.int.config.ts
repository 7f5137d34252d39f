import { defineConfig } from 'vitest/config';

import { integrationTestConfig } from '../../vitest.shared.js';

// Default export: vitest loads its config this way (see the lint allow-list).
export default defineConfig(integrationTestConfig());

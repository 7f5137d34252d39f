import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RegistryClient } from '@metarec/registry';
import { writeTestBundle } from '@metarec/registry/testing';
import { checkService } from '@metarec/runtime/testing';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
/** Debian's chromium; playwright's own browser download does not work here. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env['CI'] === 'true') {
  throw new Error(`${CHROMIUM} not found: install it with apt-get install -y chromium (CI=true: the browser test never skips)`);
}
const SCREENSHOT_DIR = new URL('../test-artifacts/', import.meta.url);

describe.skipIf(!postgres.available || chromiumMissing)(
  `registry web page in headless Chromium ${chromiumMissing ? `(skipped: ${CHROMIUM} missing; apt-get install -y chromium)` : postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`,
  () => {
    let t: TestRegistry;
    let url: string;
    let work: string;
    let browser: BrowserContext;
    let client: RegistryClient;

    beforeAll(async () => {
      t = await startTestRegistry(postgres.address);
      url = await t.app.listen({ host: '127.0.0.1', port: 0 });
      work = await mkdtemp(join(tmpdir(), 'registry-web-'));
      client = new RegistryClient({ baseUrl: url, token: TEST_TOKENS.trainer });
      browser = await chromium.launchPersistentContext(join(work, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: 900 },
      });
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
      await rm(work, { recursive: true, force: true });
    });

    it('lists a registered version, shows the alias after a promotion, links the report', async () => {
      await writeTestBundle(join(work, 'bundle'), { seed: 5, metrics: { ndcg10: 0.31, mae: 0.88 } });
      await client.registerBundleDir('melu-ml100k', join(work, 'bundle'));
      const page = await browser.newPage();

      const home = await page.goto(`${url}/`);
      expect(home?.status()).toBe(200);
      await page.getByRole('link', { name: 'melu-ml100k' }).click();
      await page.waitForURL(/\/ui\/models\/melu-ml100k$/);
      const row = page.getByTestId('version-row-1');
      expect(await row.textContent()).toContain('v1');
      expect(await row.getByTestId('alias-production').count()).toBe(0);

      await client.moveAlias('melu-ml100k', 'production', 1, { reason: 'first production model' });
      await page.reload();
      expect(await page.getByTestId('version-row-1').getByTestId('alias-production').textContent()).toBe('production');
      expect(await page.getByTestId('alias-history').textContent()).toContain('first production model');
      expect(await page.getByTestId('metrics-1-new_user').textContent()).toContain('0.3100');

      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: new URL('registry-model-page.png', SCREENSHOT_DIR).pathname, fullPage: true });

      const report = page.getByRole('link', { name: 'report' });
      const reportHref = await report.getAttribute('href');
      const reportPage = await browser.newPage();
      const response = await reportPage.goto(`${url}${reportHref ?? ''}`);
      expect(response?.status()).toBe(200);
      expect(await reportPage.title()).toBe('Evaluation report');
      await reportPage.close();
      await page.close();
    });
  },
);

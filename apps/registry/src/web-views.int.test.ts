import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RegistryClient } from '@metarec/registry';
import { writeTestBundle } from '@metarec/registry/testing';
import { checkService } from '@metarec/runtime/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
/** Debian's chromium; playwright's own browser download does not work here. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env['CI'] === 'true') {
  throw new Error(`${CHROMIUM} not found: install it with apt-get install -y chromium (CI=true: the browser test never skips)`);
}
/** Where the views' screenshots go (read by people, not by the assertions). */
const SCREENSHOT_DIR = process.env['REGISTRY_SCREENSHOT_DIR'] ?? join(tmpdir(), 'registry-ui');
const MODEL = 'melu-ui';

describe.skipIf(!postgres.available || chromiumMissing)(
  `registry views and actions in headless Chromium ${chromiumMissing ? `(skipped: ${CHROMIUM} missing; apt-get install -y chromium)` : postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`,
  () => {
    let t: TestRegistry;
    let url: string;
    let work: string;
    let browser: BrowserContext;
    let trainer: RegistryClient;
    let attacker: Server;
    let attackerUrl: string;

    const shoot = async (page: Page, name: string): Promise<void> => {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    };
    const signIn = async (page: Page, token: string): Promise<void> => {
      await page.getByLabel('bearer token').fill(token);
      await page.getByRole('button', { name: 'sign in' }).click();
    };
    /** Submits an action form and waits for the reload its success triggers. */
    const act = async (page: Page, formTestId: string, fields: Readonly<Record<string, string>>): Promise<void> => {
      const form = page.getByTestId(formTestId);
      for (const [label, value] of Object.entries(fields)) {
        await form.getByLabel(label, { exact: true }).fill(value);
      }
      await Promise.all([page.waitForEvent('load'), form.getByRole('button').click()]);
    };

    beforeAll(async () => {
      t = await startTestRegistry(postgres.address);
      url = await t.app.listen({ host: '127.0.0.1', port: 0 });
      work = await mkdtemp(join(tmpdir(), 'registry-views-'));
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      trainer = new RegistryClient({ baseUrl: url, token: TEST_TOKENS.trainer });
      // v1..v3 come from runs run-1..run-3 (the test bundles' lineage); v2 ranks worse, v3 better.
      for (const [seed, ndcg10] of [[1, 0.3], [2, 0.2], [3, 0.4]] as const) {
        await writeTestBundle(join(work, `b${seed}`), { seed, metrics: { ndcg10, mae: 1 - ndcg10 } });
        await trainer.registerBundleDir(MODEL, join(work, `b${seed}`));
      }
      for (const seed of [1, 2, 3]) {
        const runId = `run-${seed}`;
        await trainer.createRun({ runId, name: `melu seed ${seed}`, experiment: MODEL, params: { seed, epochs: 3, outer: { lr: 0.001 * seed } }, tags: { dataset: seed === 2 ? 'ml-1m' : 'ml-100k' } });
        const metrics = [
          ...Array.from({ length: 30 }, (_, i) => ({ key: 'train/loss', step: i + 1, value: 1.2 / (1 + i / (5 * seed)) })),
          ...[5, 10, 15, 20, 25, 30].map((step) => ({ key: 'validation/loss', step, value: 1.3 / (1 + step / (6 * seed)) })),
          ...[1, 2, 4, 8, 16].map((step) => ({ key: 'cold_start/mae/melu', step, value: 1.1 - 0.05 * seed * Math.log2(step + 1) })),
          ...[1, 2, 4, 8, 16].map((step) => ({ key: 'cold_start/mae/user_mean', step, value: 1.05 - 0.02 * Math.log2(step + 1) })),
          { key: 'eval/held-out-users/melu/mae', step: 30, value: 0.8 - 0.02 * seed },
          { key: 'eval/held-out-users/global_mean/mae', step: 30, value: 0.95 },
        ];
        await trainer.logMetrics(runId, metrics);
        await trainer.logRunArtifact(runId, 'lineage.json', Buffer.from(JSON.stringify({ runId, seed })), 'application/json');
        await trainer.updateRun(runId, { status: seed === 2 ? 'failed' : 'finished' });
      }
      // A page on another origin, for the cross-site write attempt.
      attacker = createServer((_request, response) => {
        response.setHeader('content-type', 'text/html');
        response.end('<!doctype html><title>elsewhere</title><p>elsewhere</p>');
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
      browser = await chromium.launchPersistentContext(join(work, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: 900 },
      });
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => attacker?.close(resolve));
      await t?.close();
      await rm(work, { recursive: true, force: true });
    });

    it('run list: filters by name, status, tag and metric, pages, and loads no resource from elsewhere', async () => {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      const response = await page.goto(`${url}/ui/runs`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(await page.getByTestId('runs').locator('tr[data-testid^="run-row-"]').count()).toBe(3);
      await page.getByLabel('status').selectOption('finished');
      await Promise.all([page.waitForURL(/status=finished/), page.getByRole('button', { name: 'filter' }).click()]);
      expect(await page.locator('tr[data-testid^="run-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')))).toEqual(['run-row-run-3', 'run-row-run-1']);
      await page.goto(`${url}/ui/runs?tag=dataset%3Dml-1m`);
      expect(await page.locator('tr[data-testid^="run-row-"]').count()).toBe(1);
      expect(await page.getByTestId('run-row-run-2').textContent()).toContain('failed');
      // Latest validation loss 1.3 / (1 + 30 / (6 seed)): 0.217, 0.371, 0.488 for seeds 1, 2, 3.
      await page.goto(`${url}/ui/runs?metric=${encodeURIComponent('validation/loss<0.4')}`);
      expect(await page.locator('tr[data-testid^="run-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')))).toEqual(['run-row-run-2', 'run-row-run-1']);
      await page.goto(`${url}/ui/runs?q=SEED%201`);
      expect(await page.locator('tr[data-testid^="run-row-"]').count()).toBe(1);
      await page.goto(`${url}/ui/runs?pageToken=999999`);
      expect(await page.locator('tr[data-testid^="run-row-"]').count()).toBe(3);
      await page.goto(`${url}/ui/runs`);
      await shoot(page, 'runs');
      expect(requested.every((r) => r.startsWith(url))).toBe(true);
      await page.close();
    });

    it('run page: loss and cold-start charts, evaluation table, artifacts, parameters and the linked version', async () => {
      const page = await browser.newPage();
      await page.goto(`${url}/ui/runs/run-3`);
      expect(await page.getByTestId('run-status').textContent()).toBe('finished');
      const loss = page.getByTestId('chart-loss');
      expect(await loss.locator('g.series').count()).toBe(2);
      expect(await loss.locator('g.series[data-series="train/loss"] polyline').getAttribute('points')).toMatch(/^(\S+,\S+ ){29}\S+,\S+$/);
      expect(await page.getByTestId('chart-cold-start-mae').locator('g.series').count()).toBe(2);
      expect(await page.getByTestId('run-eval-held-out-users').textContent()).toContain('0.7400');
      expect(await page.getByTestId('run-params').textContent()).toContain('"seed": 3');
      await page.getByTestId('run-versions').getByRole('link', { name: `${MODEL} v3` }).waitFor();
      const artifact = await page.getByTestId('run-artifacts').getByRole('link', { name: 'lineage.json' }).getAttribute('href');
      const fetched = await page.request.get(`${url}${artifact ?? ''}`);
      expect(await fetched.json()).toEqual({ runId: 'run-3', seed: 3 });
      await shoot(page, 'run');
      await page.close();
    });

    it('model page: metric history across versions as a chart, actions hidden until signed in', async () => {
      const page = await browser.newPage();
      await page.goto(`${url}/ui/models/${MODEL}`);
      const chart = page.getByTestId('chart-versions-new_user');
      expect(await chart.locator('g.series').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')).sort())).toEqual(['mae', 'ndcg10']);
      expect(await chart.locator('g.series[data-series="ndcg10"] title').allTextContents()).toEqual(['ndcg10: version 1, 0.300', 'ndcg10: version 2, 0.200', 'ndcg10: version 3, 0.400']);
      expect(await page.getByTestId('promote-1').isVisible()).toBe(false);
      await shoot(page, 'model');
      await page.close();
    });

    it('compare view: two versions chosen on the model page, tables side by side, training and cold-start curves per version', async () => {
      const page = await browser.newPage();
      await page.goto(`${url}/ui/models/${MODEL}`);
      await page.getByLabel('compare v1').check();
      await page.getByLabel('compare v3').check();
      await Promise.all([page.waitForURL(/\/compare\?v=3&v=1$/), page.getByTestId('compare-button').click()]);
      const table = page.getByTestId('compare-table');
      expect(await table.locator('th').allTextContents()).toEqual(['scenario', 'method', 'metric', 'v3', 'v1']);
      expect(await table.locator('tr', { hasText: 'ndcg10' }).first().textContent()).toMatch(/melu.*0\.4000.*0\.3000/);
      await page.getByTestId('comparable').waitFor();
      expect(await page.getByTestId('compare-training-train_loss').locator('g.series').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')))).toEqual(['v3', 'v1']);
      expect(await page.getByTestId('compare-cold-start-cold_start_mae_melu').locator('g.series').count()).toBe(2);
      await shoot(page, 'compare');
      await page.close();
    });

    it('actions: a bad token is refused; signed in, promote, a gate refusal shown, roll back, archive, edit metadata — each audited under the token\'s principal', async () => {
      const page = await browser.newPage();
      await page.goto(`${url}/ui/models/${MODEL}`);
      await signIn(page, 'not-a-token');
      await page.locator('#action-status', { hasText: 'sign-in failed: REG_AUTH_INVALID' }).waitFor();
      expect(await page.getByTestId('promote-1').isVisible()).toBe(false);

      await signIn(page, TEST_TOKENS.alice);
      await page.locator('#whoami', { hasText: 'signed in as alice' }).waitFor();
      await act(page, 'promote-1', { alias: 'production', reason: 'first model from the page' });
      expect(await page.getByTestId('version-row-1').getByTestId('alias-production').textContent()).toBe('production');

      // v2 ranks below production: the gate refuses and the page says why; nothing moves.
      const refused = page.getByTestId('promote-2');
      await refused.getByLabel('reason', { exact: true }).fill('worse model');
      await refused.getByRole('button').click();
      await page.locator('#action-status', { hasText: 'promote failed: REG_GATE_REFUSED' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'model-gate-refused.png') });
      expect((await trainer.resolveAlias(MODEL, 'production')).version).toBe(1);

      await act(page, 'promote-3', { alias: 'production', reason: 'better ndcg' });
      expect((await trainer.resolveAlias(MODEL, 'production')).version).toBe(3);
      await act(page, 'rollback-production', { reason: 'roll back from the page' });
      expect((await trainer.resolveAlias(MODEL, 'production')).version).toBe(1);
      await act(page, 'archive-2', { reason: 'superseded' });
      expect(await page.getByTestId('status-2').textContent()).toBe('archived');
      await shoot(page, 'model-after-actions');

      const history = await trainer.aliasHistory(MODEL, 'production');
      expect(history.map((e) => [e.kind, e.actor, e.reason])).toEqual([
        ['rollback', 'alice', 'roll back from the page'],
        ['promote', 'alice', 'better ndcg'],
        ['promote', 'alice', 'first model from the page'],
      ]);
      expect((await trainer.getVersion(MODEL, 2)).status).toMatchObject({ state: 'archived', archivedBy: 'alice', reason: 'superseded' });

      await page.goto(`${url}/ui/models/${MODEL}/versions/3`);
      await page.locator('#whoami', { hasText: 'signed in as alice' }).waitFor();
      const before = await trainer.getVersion(MODEL, 3);
      await act(page, 'edit-3', { description: 'best on ml-100k', 'set tags': 'owner=alice, stage=candidate' });
      expect(await page.getByTestId('version-description').textContent()).toBe('best on ml-100k');
      expect(await page.getByTestId('version-tags').textContent()).toContain('stage=candidate');
      await act(page, 'edit-3', { 'remove tags': 'stage' });
      const after = await trainer.getVersion(MODEL, 3);
      expect(after).toMatchObject({ description: 'best on ml-100k', tags: { owner: 'alice' }, metaUpdatedBy: 'alice', contentSha256: before.contentSha256 });
      expect(await page.getByTestId('chart-loss').locator('g.series').count()).toBe(2);
      await shoot(page, 'version');
      await page.close();
    });

    it('a page on another origin cannot write: no token reaches it, and its Origin is refused even with one', async () => {
      const page = await browser.newPage();
      // The signed-in tab above kept its token in its own sessionStorage; this origin has none.
      await page.goto(attackerUrl);
      const status = await page.evaluate(async (target) => {
        const response = await fetch(`${target}/api/v1/models/melu-ui/versions/1/archive`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"reason":"csrf"}' });
        return response.type;
      }, url);
      expect(status).toBe('opaque');
      expect((await trainer.getVersion(MODEL, 1)).status.state).toBe('active');
      // Even a stolen token does not help a foreign page: the Origin check refuses the write.
      const forged = await t.app.inject({
        method: 'POST',
        url: `/api/v1/models/${MODEL}/versions/1/archive`,
        headers: { authorization: `Bearer ${TEST_TOKENS.alice}`, origin: attackerUrl, host: new URL(url).host },
        payload: { reason: 'csrf' },
      });
      expect(forged.statusCode).toBe(403);
      expect(forged.json()).toMatchObject({ code: 'REG_AUTH_INVALID', field: 'origin' });
      const read = await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${TEST_TOKENS.alice}`, origin: attackerUrl } });
      expect(read.statusCode).toBe(200); // reads are not writes: a foreign Origin may read what it could read anyway
      expect((await trainer.getVersion(MODEL, 1)).status.state).toBe('active');
      await page.close();
    });
  },
);

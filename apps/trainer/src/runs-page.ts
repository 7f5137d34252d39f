import { DEFAULT_RUN_PROGRESS_OPTIONS, type RunProgress } from '@metarec/training';

/** Where the pages live on the dashboard server. */
export const DASHBOARD_PATHS = { board: '/board', runs: '/runs', runsJson: '/api/runs' } as const;

/** Seconds between the run list's automatic reloads. */
const REFRESH_SEC = 5;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function duration(sec: number): string {
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(rest).padStart(2, '0')}s` : `${rest}s`;
}

function num(value: number | null, digits: number): string {
  return value === null ? '–' : value.toFixed(digits);
}

function row(r: RunProgress): string {
  const pct = Math.round(r.progress * 100);
  const steps = r.totalSteps === null ? `step ${r.step}` : `${r.step} / ${r.totalSteps}`;
  const eta = r.etaSec === null ? '–' : `${duration(r.etaSec)} <small>(${new Date(r.etaAtMs ?? 0).toISOString().slice(11, 19)} UTC)</small>`;
  const failure = r.failure === null ? '' : `<code>${escapeHtml(r.failure.code)}</code> ${escapeHtml(r.failure.reason)}`;
  return `<tr data-testid="run-row-${escapeHtml(r.runId)}" class="${r.status}">
<td><code>${escapeHtml(r.runId)}</code></td>
<td><span class="status">${r.status}</span></td>
<td><progress max="100" value="${pct}">${pct}%</progress> ${pct}% <small>${steps}</small></td>
<td>${num(r.loss, 4)}</td><td>${num(r.validationLoss, 4)}</td>
<td>${num(r.stepsPerSec, 2)}</td>
<td class="eta">${eta}</td>
<td>${new Date(r.updatedAtMs).toISOString().replace('T', ' ').slice(0, 19)}</td>
<td class="failure">${failure}</td>
</tr>`;
}

/** The run list as a page (reloads itself every few seconds; the same rows as JSON at {@link DASHBOARD_PATHS.runsJson}). */
export function renderRunsPage(runs: readonly RunProgress[], nowMs: number): string {
  const body =
    runs.length === 0
      ? '<p>No runs yet: <code>trainer run</code> and scheduled run jobs write their status here.</p>'
      : `<table><thead><tr><th>Run</th><th>Status</th><th>Progress</th><th>Loss</th><th>Val loss</th><th>Steps/s</th><th>ETA</th><th>Updated (UTC)</th><th>Failure</th></tr></thead>
<tbody>${runs.map(row).join('\n')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${REFRESH_SEC}">
<title>metarec trainer · runs</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#1f2933}
nav a{margin-right:16px}
table{border-collapse:collapse;margin-top:16px}
th,td{padding:6px 10px;border-bottom:1px solid #d9e2ec;text-align:left;vertical-align:top}
th{background:#f0f4f8}
progress{width:120px}
.status{padding:2px 8px;border-radius:10px;background:#d9e2ec}
.running .status{background:#bee3f8}.completed .status{background:#c6f6d5}.failed .status{background:#fed7d7}.stalled .status{background:#feebc8}
.failure{max-width:420px;color:#9b2c2c}
</style></head>
<body>
<h1>Training runs</h1>
<nav><a href="${DASHBOARD_PATHS.board}">Queues (bull-board)</a><a href="${DASHBOARD_PATHS.runsJson}">JSON</a></nav>
<p><small>${runs.length} most recent run(s) at ${new Date(nowMs).toISOString()}; ETA = steps left ÷ the coordinator's step rate; <em>stalled</em> = no status for ${Math.round(DEFAULT_RUN_PROGRESS_OPTIONS.staleAfterMs / 1000)} s (resume with <code>trainer run --run-id</code>, or retry its run job on the board).</small></p>
${body}
</body></html>
`;
}

import cliProgress from 'cli-progress';
import type { EvaluationProgress } from '@metarec/evaluation';

/** A single-line progress bar on stderr (stdout stays clean for piping). */
export function createProgressBar(): { update: (p: EvaluationProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: 'eval [{bar}] {percentage}% | {value}/{total} | seed {seed} | {method} {phase} {scenario}', stream: process.stderr, hideCursor: true, etaBuffer: 20, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 30_000 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      const payload = { seed: p.seed, method: p.method, phase: p.phase, scenario: p.scenario ?? (p.unitFraction !== undefined ? `${Math.round(p.unitFraction * 100)}%` : '') };
      if (!started) {
        bar.start(p.total, p.done, payload);
        started = true;
      }
      bar.update(p.done, payload);
    },
    stop: () => {
      if (started) {
        bar.stop();
      }
    },
  };
}

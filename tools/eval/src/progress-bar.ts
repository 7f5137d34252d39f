import cliProgress from 'cli-progress';
import type { EvaluationProgress } from '@metarec/evaluation';

/**
 * Progress on stderr (stdout stays clean for piping): a bar on a terminal, one line per unit of
 * work otherwise (logs of a pod or a background run).
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): { update: (p: EvaluationProgress) => void; stop: () => void } {
  const label = (p: EvaluationProgress): string => `seed ${p.seed} | ${p.method} ${p.phase}${p.scenario ? ` ${p.scenario}` : ''}`;
  if (!stream.isTTY) {
    let last = '';
    return {
      update: (p) => {
        const line = `eval ${p.done}/${p.total} | ${label(p)}`;
        if (line !== last) {
          stream.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
          last = line;
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'eval [{bar}] {percentage}% | {value}/{total} | {label}', stream, hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      const payload = { label: `${label(p)}${p.unitFraction !== undefined ? ` ${Math.round(p.unitFraction * 100)}%` : ''}` };
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

import { spawn } from 'node:child_process';

/**
 * A CPU-bound process pinned to `cpu` (taskset) at niceness `nice`, for latency figures "with the
 * other core busy", as a pod sharing its node sees them. On a 2-core box the measuring client runs
 * on that core too: at nice 0 the client's own wake-up delays land in the figures; at 19 the
 * neighbour yields to it. Returns the function that stops it.
 */
export function startBusyCore(cpu: string, nice = 0): () => void {
  const child = spawn('nice', ['-n', String(nice), 'taskset', '-c', cpu, process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' });
  child.on('error', (e) => {
    throw new Error(`--busy-cpu ${cpu}: could not start the CPU-bound process: ${e.message}`);
  });
  return () => {
    child.kill('SIGKILL');
  };
}

import { spawn } from 'node:child_process';

/**
 * A CPU-bound process pinned to `cpu` (taskset), for latency figures "with the other core busy",
 * as a pod sharing its node sees them. Returns the function that stops it.
 */
export function startBusyCore(cpu: string): () => void {
  const child = spawn('taskset', ['-c', cpu, process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' });
  child.on('error', (e) => {
    throw new Error(`--busy-cpu ${cpu}: could not start the CPU-bound process: ${e.message}`);
  });
  return () => {
    child.kill('SIGKILL');
  };
}

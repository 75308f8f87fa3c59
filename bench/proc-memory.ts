// Memory of a child process from /proc/<pid>/status: VmHWM (the kernel's peak resident set) and
// VmRSS (now), sampled every 200 ms as a cross-check of the peak.
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  rssKb: number;
  hwmKb: number;
}

export function readProcMemory(pid: number): ProcMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null;
  }
}

export interface MemoryWatch {
  /** Peak of the kernel's VmHWM and of the sampled VmRSS so far, in MB. */
  peak(): { hwmMb: number; sampledRssMb: number };
  stop(): { hwmMb: number; sampledRssMb: number };
}

export function watchMemory(pid: number, everyMs = 200): MemoryWatch {
  let hwmKb = 0;
  let rssKb = 0;
  const sample = () => {
    const m = readProcMemory(pid);
    if (!m) return;
    if (m.hwmKb > hwmKb) hwmKb = m.hwmKb;
    if (m.rssKb > rssKb) rssKb = m.rssKb;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  const peak = () => {
    sample();
    return { hwmMb: hwmKb / 1024, sampledRssMb: rssKb / 1024 };
  };
  return {
    peak,
    stop() {
      const result = peak();
      clearInterval(timer);
      return result;
    },
  };
}

import { existsSync, readFileSync } from 'node:fs';

/**
 * CPU time and resident memory of a process and its descendants, read from /proc (Linux). Used to
 * measure the product's processes (the CLI and its SDK hosts) and nothing else: not the bench, not
 * the fixture server, not other people's work on a shared machine.
 */

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
const PAGE_BYTES = 4096;

interface Stat {
  ppid: number;
  /** utime + stime (own), and cutime + cstime (children already reaped), in ticks. */
  own: number;
  reaped: number;
  rssPages: number;
  /** Ticks after boot: orders processes by when they started. */
  started: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state) of proc(5).
    const n = (field: number) => Number(fields[field - 3]);
    return { ppid: n(4), own: n(14) + n(15), reaped: n(16) + n(17), rssPages: n(24), started: n(22) };
  } catch {
    return undefined;
  }
}

function children(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  try {
    return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface TreeSample {
  /** CPU seconds of the root and every descendant, alive or reaped by then. */
  cpuSeconds: number;
  rssBytes: number;
  processes: number;
  /** CPU seconds, RSS and start time per live process (the root's CPU excludes reaped children here). */
  perProcess: Map<number, { cpuSeconds: number; rssBytes: number; started: number }>;
}

export function sampleTree(root: number): TreeSample | undefined {
  const rootStat = readStat(root);
  if (!rootStat) return undefined;
  let ticks = rootStat.own + rootStat.reaped;
  let pages = rootStat.rssPages;
  let processes = 1;
  const perProcess = new Map([[root, { cpuSeconds: rootStat.own / TICKS_PER_SECOND, rssBytes: rootStat.rssPages * PAGE_BYTES, started: rootStat.started }]]);
  const queue = children(root);
  while (queue.length > 0) {
    const pid = queue.pop()!;
    const stat = readStat(pid);
    if (!stat) continue;
    ticks += stat.own + stat.reaped;
    pages += stat.rssPages;
    processes++;
    perProcess.set(pid, { cpuSeconds: (stat.own + stat.reaped) / TICKS_PER_SECOND, rssBytes: stat.rssPages * PAGE_BYTES, started: stat.started });
    queue.push(...children(pid));
  }
  return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: pages * PAGE_BYTES, processes, perProcess };
}

/** Samples a process tree until it exits: the peak memory and the last CPU total seen. */
export class TreeMonitor {
  peakRss = 0;
  peakProcesses = 0;
  cpuSeconds = 0;
  /** Per process: the most CPU and the most memory seen, and when it started (ticks after boot). */
  readonly processes = new Map<number, { cpuSeconds: number; peakRss: number; started: number }>();
  /** Each process's RSS in the sample where the tree's total peaked: what the peak is made of. */
  atPeak = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(root: number, everyMs = 100) {
    this.timer = setInterval(() => {
      const sample = sampleTree(root);
      if (!sample) return;
      if (sample.rssBytes > this.peakRss) this.atPeak = new Map([...sample.perProcess].map(([pid, p]) => [pid, p.rssBytes]));
      this.peakRss = Math.max(this.peakRss, sample.rssBytes);
      this.peakProcesses = Math.max(this.peakProcesses, sample.processes);
      this.cpuSeconds = Math.max(this.cpuSeconds, sample.cpuSeconds);
      for (const [pid, p] of sample.perProcess) {
        const seen = this.processes.get(pid) ?? { cpuSeconds: 0, peakRss: 0, started: p.started };
        this.processes.set(pid, { cpuSeconds: Math.max(seen.cpuSeconds, p.cpuSeconds), peakRss: Math.max(seen.peakRss, p.rssBytes), started: p.started });
      }
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Processes read from /proc (Linux), for tests that check which child processes run. */
import fs from 'node:fs';

/** Live (not zombie) processes whose parent is `parent`, with their command line (or the title a process set). */
export function childrenOf(parent: number): Array<{ pid: number; command: string }> {
  const out: Array<{ pid: number; command: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== parent || state === 'Z') continue;
      out.push({ pid: Number(entry), command: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** True while `pid` runs (a zombie, ended but not yet reaped, counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export interface ProcessPeak {
  pid: number;
  command: string;
  /** Peak writable memory (VmData) and resident memory (VmRSS) seen, in MB. */
  dataMb: number;
  rssMb: number;
}

/**
 * Watches every descendant of `root` (by default this process) from /proc every 25 ms, keeping
 * each one's peak VmData and VmRSS, and the peak of the whole tree's resident memory (the root's
 * included). Stop it to read the figures.
 */
export function watchProcessTree(root = process.pid): { stop(): { processes: ProcessPeak[]; treePeakRssMb: number; rootBaselineRssMb: number } } {
  const peaks = new Map<number, ProcessPeak>();
  const readStatus = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return null;
    }
  };
  const kb = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  const rootBaselineRssMb = kb(readStatus(root) ?? '', 'VmRSS') / 1024;
  let treePeakRssMb = rootBaselineRssMb;
  const sample = () => {
    const parents = new Map<number, number>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const status = readStatus(Number(entry));
      if (status) parents.set(Number(entry), kb(status, 'PPid'));
    }
    const inTree = (pid: number) => {
      for (let p = parents.get(pid), hops = 0; p !== undefined && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
      return false;
    };
    let total = kb(readStatus(root) ?? '', 'VmRSS') / 1024;
    for (const pid of parents.keys()) {
      if (!inTree(pid)) continue;
      const status = readStatus(pid);
      if (!status || /^State:\s+Z/m.test(status)) continue;
      const dataMb = kb(status, 'VmData') / 1024;
      const rssMb = kb(status, 'VmRSS') / 1024;
      total += rssMb;
      const seen = peaks.get(pid);
      let command = seen?.command ?? '';
      try {
        command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || command;
      } catch {
        // gone
      }
      peaks.set(pid, { pid, command, dataMb: Math.max(seen?.dataMb ?? 0, dataMb), rssMb: Math.max(seen?.rssMb ?? 0, rssMb) });
    }
    treePeakRssMb = Math.max(treePeakRssMb, total);
  };
  const timer = setInterval(sample, 25);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { processes: [...peaks.values()], treePeakRssMb, rootBaselineRssMb };
    },
  };
}

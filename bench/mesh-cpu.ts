/**
 * CPU time of a process tree, from /proc (proc(5)): what bench/mesh.ts charges to each person's browser.
 * Playwright's `Browser` does not say which process it launched, so the browser's PID is found as the child
 * of this process that appeared during the launch.
 */
import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

/** Clock ticks per second, the unit of /proc/PID/stat's times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /**
   * utime + stime + cutime + cstime, in ticks: its own CPU time and that of its children already waited
   * for. A live child's time is in its own line, not yet in cutime, so summing over a tree counts each once.
   */
  ticks: number;
}

/** One line of /proc/PID/stat; undefined when the process is gone. */
async function procStat(pid: number): Promise<ProcStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 3 (state) onwards: ppid is field 4, utime..cstime are fields 14..17.
  const number = (field: number) => Number(fields[field - 3]);
  return {
    pid,
    ppid: number(4),
    ticks: number(14) + number(15) + number(16) + number(17),
  };
}

async function allProcesses(): Promise<ProcStat[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const stats = await Promise.all(pids.map(procStat));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** The PIDs of this process's children now. */
export async function ownChildren(): Promise<Set<number>> {
  return new Set((await allProcesses()).filter((p) => p.ppid === process.pid).map((p) => p.pid));
}

/**
 * Runs `launch` and returns what it made with the PID of the one child of this process that appeared
 * meanwhile (a browser's main process). Launches must not overlap.
 */
export async function launchedChild<T>(launch: () => Promise<T>): Promise<{ value: T; pid: number }> {
  const before = await ownChildren();
  const value = await launch();
  const fresh = [...(await ownChildren())].filter((pid) => !before.has(pid));
  if (fresh.length !== 1)
    throw new Error(`expected one new child process during the launch, found ${fresh.length}`);
  return { value, pid: fresh[0]! };
}

/** CPU seconds used so far by `root` and all its descendants (including those already exited and waited for). */
export async function treeCpuSeconds(root: number): Promise<number> {
  const all = await allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const top = all.find((stat) => stat.pid === root);
  if (!top) throw new Error(`process ${root} is gone`);
  let ticks = 0;
  const queue = [top];
  for (let stat = queue.pop(); stat; stat = queue.pop()) {
    ticks += stat.ticks;
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/** Busy and total CPU seconds of the whole machine so far (the first line of /proc/stat), all cores. */
export async function machineCpuSeconds(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
}

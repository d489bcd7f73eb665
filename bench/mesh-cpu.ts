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

/** The PIDs of `root` and all its live descendants. */
async function treePids(root: number): Promise<number[]> {
  const all = await allProcesses();
  const children = new Map<number, number[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const pids: number[] = [];
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.pop()!;
    pids.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return pids;
}

/**
 * CPU seconds used so far by each thread of `root`'s tree, summed by thread name (/proc/PID/task/TID/comm,
 * at most 15 characters, a trailing number dropped so that a pool's workers count together): where a
 * browser's CPU goes (its audio threads, its compositor, WebRTC's threads). Threads that ended are missing.
 */
export async function threadCpuSeconds(root: number): Promise<Map<string, number>> {
  const byName = new Map<string, number>();
  for (const pid of await treePids(root)) {
    const tids = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    for (const tid of tids) {
      const [comm, stat] = await Promise.all([
        readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8').catch(() => undefined),
        readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined),
      ]);
      if (comm === undefined || stat === undefined) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, fields 14 and 15 (a thread has no children of its own to wait for).
      const seconds = (Number(fields[14 - 3]) + Number(fields[15 - 3])) / TICKS_PER_SECOND;
      const name = comm.trim().replace(/\d+$/, '') || '?';
      byName.set(name, (byName.get(name) ?? 0) + seconds);
    }
  }
  return byName;
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

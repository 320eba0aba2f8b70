// aether analyze against fail2ban-regex on the same generated sshd auth.log, in the same run: lines/s, peak RSS, ground truth.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authLog, type GroundTruth } from './auth-log.generator.ts';

export const ANALYZE_BENCH = {
  lines: 1_000_000,
  /** The longer log, to show that memory does not grow with the log. */
  longLines: 4_000_000,
  targetSpeedup: 20,
  targetPeakRssMiB: 100,
  fail2banFilter: '/etc/fail2ban/filter.d/sshd.conf',
};

type Run = { seconds: number; linesPerSecond: number; peakRssMiB: number };

export type AnalyzeBenchResult = {
  lines: number;
  aether: Run & { launcherPeakRssMiB: number };
  aetherLong: Run & { lines: number };
  fail2ban: Run & { version: string };
  speedup: number;
  truth: { bursts: number; burstsFound: number; loginsAfterBurst: number; loginsAfterBurstFound: number; invented: number };
  targets: { speedup: number; peakRssMiB: number };
};

const BIN = fileURLToPath(new URL('../bin/aether.js', import.meta.url));
const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

async function writeLog(path: string, lines: number): Promise<GroundTruth> {
  const out = createWriteStream(path);
  const gen = authLog(lines);
  let batch: string[] = [];
  let r = gen.next();
  while (!r.done) {
    batch.push(r.value);
    if (batch.length === 10_000) {
      if (!out.write(`${batch.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = [];
    }
    r = gen.next();
  }
  if (batch.length) out.write(`${batch.join('\n')}\n`);
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return r.value;
}

/** VmHWM of a process and of its children (the analyzer runs in a child of the launcher), sampled until it exits. */
function hwmOf(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; stdout: string; stderr: string; peakKiB: number; childPeakKiB: number; status: number }> {
  const start = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peakKiB = 0;
  let childPeakKiB = 0;
  const timer = setInterval(() => {
    peakKiB = Math.max(peakKiB, hwmOf(child.pid!));
    for (const c of childrenOf(child.pid!)) childPeakKiB = Math.max(childPeakKiB, hwmOf(c));
  }, 10);
  const status = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  clearInterval(timer);
  return { seconds: (performance.now() - start) / 1000, stdout, stderr, peakKiB, childPeakKiB, status };
}

function ensureFail2ban(): string {
  if (!existsSync('/usr/bin/fail2ban-regex')) {
    console.error('fail2ban-regex is missing: installing Debian\'s fail2ban for the comparison…');
    const res = spawnSync('apt-get', ['install', '-y', '-q', 'fail2ban'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (res.status !== 0) throw new Error('could not install fail2ban (apt-get install fail2ban)');
  }
  return spawnSync('fail2ban-regex', ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? 'unknown';
}

async function aetherRun(file: string): Promise<{ run: Run; launcherKiB: number; stdout: string }> {
  // The log's timestamps are UTC wall times; the run reads them in UTC, so windows line up with the ground truth.
  const m = await measure(process.execPath, [BIN, 'analyze', file, '--json'], { ...process.env, TZ: 'UTC' });
  if (m.status !== 0) throw new Error(`aether analyze failed: ${m.stderr}`);
  const summary = (JSON.parse(m.stderr.trim().split('\n').at(-1)!) as { summary: { seconds: number; linesPerSecond: number; linesRead: number } }).summary;
  // The figures of the process that reads the log: the analyzer child (the launcher only waits for it).
  return { run: { seconds: m.seconds, linesPerSecond: Math.round(summary.linesRead / m.seconds), peakRssMiB: mib(m.childPeakKiB || m.peakKiB) }, launcherKiB: m.peakKiB, stdout: m.stdout };
}

export async function runAnalyzeBench(): Promise<AnalyzeBenchResult> {
  const version = ensureFail2ban();
  const dir = mkdtempSync(join(tmpdir(), 'aether-analyze-bench-'));
  try {
    const file = join(dir, 'auth.log');
    const longFile = join(dir, 'auth-long.log');
    const truth = await writeLog(file, ANALYZE_BENCH.lines);
    await writeLog(longFile, ANALYZE_BENCH.longLines);

    const aether = await aetherRun(file);
    const f2b = await measure('fail2ban-regex', [file, ANALYZE_BENCH.fail2banFilter]);
    if (f2b.status !== 0) throw new Error(`fail2ban-regex failed: ${f2b.stderr}`);
    const f2bLines = Number(/Lines: (\d+) lines/.exec(f2b.stdout)?.[1] ?? ANALYZE_BENCH.lines);
    const long = await aetherRun(longFile);

    const detections = aether.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { rule: string; key: string; ip: string; user: string; ts: string });
    const brute = detections.filter((d) => d.rule === 'sshd-brute-force');
    const after = detections.filter((d) => d.rule === 'sshd-login-after-brute-force');
    const burstsFound = truth.bursts.filter((b) => brute.some((d) => d.key === b.ip && Date.parse(d.ts) >= b.firstTs && Date.parse(d.ts) <= b.lastTs)).length;
    const loginsFound = truth.loginsAfterBurst.filter((l) => after.some((d) => d.ip === l.ip && d.user === l.user && Date.parse(d.ts) === l.ts)).length;
    const fail2ban: AnalyzeBenchResult['fail2ban'] = { version, seconds: f2b.seconds, linesPerSecond: Math.round(f2bLines / f2b.seconds), peakRssMiB: mib(f2b.peakKiB) };
    return {
      lines: ANALYZE_BENCH.lines,
      aether: { ...aether.run, launcherPeakRssMiB: mib(aether.launcherKiB) },
      aetherLong: { ...long.run, lines: ANALYZE_BENCH.longLines },
      fail2ban,
      speedup: Math.round((aether.run.linesPerSecond / fail2ban.linesPerSecond) * 10) / 10,
      truth: { bursts: truth.bursts.length, burstsFound, loginsAfterBurst: truth.loginsAfterBurst.length, loginsAfterBurstFound: loginsFound, invented: after.length - loginsFound },
      targets: { speedup: ANALYZE_BENCH.targetSpeedup, peakRssMiB: ANALYZE_BENCH.targetPeakRssMiB },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

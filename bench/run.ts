// Runs the benchmarks (all, or those named on the command line), prints a table and then one JSON summary line; never fails on timing.
import { availableParallelism } from 'node:os';
import { runAlertsBench, type AlertsBenchResult } from './alerts.bench.ts';
import { runAnalyzeBench, type AnalyzeBenchResult } from './analyze.bench.ts';
import { runBackupBench, type BackupBenchResult } from './backup.bench.ts';
import { LOGIN_2FA, runLogin2fa, type Login2faResult } from './login-2fa.bench.ts';
import { LOGIN_FLOOD, runLoginFlood, type LoginFloodResult } from './login-flood.bench.ts';
import { runOAuthBench, type OAuthBenchResult } from './oauth.bench.ts';
import { runServersBench, type ServersBenchResult } from './servers.bench.ts';
import { runSftpBench, type SftpBenchResult } from './sftp.bench.ts';
import { REPLICAS, runReplicasBench, type ReplicasResult } from './replicas.bench.ts';
import { runThroughput, type ThroughputResult } from './throughput.bench.ts';

const BENCHES = ['login-flood', 'login-2fa', 'throughput', 'oauth', 'analyze', 'alerts', 'servers', 'sftp', 'backup', 'replicas'] as const;
type BenchName = (typeof BENCHES)[number];

const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}`).join('\n');
}

function printLoginFlood(r: LoginFloodResult): void {
  const h = r.passwordHashing;
  console.log(
    `\nLogin flood: ${r.floodRequests} concurrent wrong-password logins from ${LOGIN_FLOOD.floodAddress}, one real login from ${LOGIN_FLOOD.userAddress}` +
      `\n  (argon2id m=${h.memoryCost} t=${h.timeCost} p=${h.parallelism}, maxConcurrent ${h.maxConcurrent}, maxQueue ${h.maxQueue})`,
  );
  const outcomes = Object.entries(r.floodOutcomes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  console.log(
    table([
      ['metric', 'value', 'target'],
      ['peak RSS of the panel (VmHWM)', `${r.peakRssMiB} MiB`, `<= ${r.targetPeakRssMiB} MiB: ${met(r.peakRssMiB <= r.targetPeakRssMiB)}`],
      [`peak RSS sampled (VmRSS every ${LOGIN_FLOOD.sampleEveryMs} ms)`, `${r.peakSampledRssMiB} MiB (${r.rssSamples} samples)`, ''],
      ['RSS before the flood', `${r.rssBeforeMiB} MiB`, ''],
      [`legit login, no flood (median of ${r.baselineRunsMs.length})`, `${r.baselineMs} ms`, `runs: ${r.baselineRunsMs.join(', ')} ms`],
      ['legit login during the flood', `${r.user.ms} ms -> ${r.user.status}`, `${r.user.attempts} attempt(s); first answered ${r.user.firstStatus} in ${r.user.firstMs} ms`],
      ['ratio flood / baseline', `${r.latencyRatio}x`, ''],
      ['flood answered 429', `${r.flood429} / ${r.floodRequests}`, ''],
      ['flood answers', outcomes, ''],
      ['wrong passwords checked (401)', `${r.floodChecked}`, `limits: ${r.loginLimits.perAccount} per account, ${r.loginLimits.perIp} per address`],
      ['flood wall time', `${r.floodMs} ms`, ''],
    ]),
  );
}

function printLogin2fa(r: Login2faResult): void {
  const [low, high] = LOGIN_2FA.targetRatioRange;
  const answers = (x: Record<string, number>) => Object.entries(x).map(([k, n]) => `${k}: ${n}`).join(', ');
  console.log(`\nWrong password, account with 2FA vs without: ${r.attempts} sequential attempts each, interleaved (production argon2id)`);
  console.log(
    table([
      ['metric', 'value', 'target'],
      ['median, account without 2FA', `${r.plainMedianMs} ms`, ''],
      ['median, account with 2FA', `${r.twoFactorMedianMs} ms`, ''],
      ['ratio with / without', `${r.ratio}x`, `${low}-${high}x: ${met(r.ratio >= low && r.ratio <= high)}`],
      ['answers without 2FA', answers(r.plainAnswers), ''],
      ['answers with 2FA', answers(r.twoFactorAnswers), `the same: ${met(answers(r.plainAnswers) === answers(r.twoFactorAnswers))}`],
      ['right password, without 2FA (signed in)', `${r.rightPasswordPlainMs} ms`, ''],
      ['right password, with 2FA (code step next)', `${r.rightPasswordTwoFactorMs} ms`, ''],
    ]),
  );
}

function printThroughput(r: ThroughputResult): void {
  const s = r.settings;
  console.log(
    `\nThroughput: signed-in GET /api/v1/users/me vs bare Koa constant JSON` +
      `\n  (autocannon, ${s.connections} connections, pipelining ${s.pipelining}; each server warmed up ${s.warmupSeconds} s, then measured ${s.durationSeconds} s per round in ${s.rounds} alternating rounds; the median round is shown)`,
  );
  const row = (name: string, x: ThroughputResult['panel']) => [name, String(x.reqPerSec), String(x.latencyP50Ms), String(x.latencyP99Ms), String(x.requests), String(x.non2xx), String(x.errors), String(x.timeouts), x.rounds.join(' / ')];
  console.log(
    table([
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'timeouts', 'req/s by round'],
      row('bare Koa', r.bare),
      row('Koa floor', r.floor),
      row('floor + koa-session', r.floorSession),
      row('panel /healthz', r.panelHealth),
      row('panel /users/me', r.panel),
    ]),
  );
  console.log(`  ratio panel / bare: ${r.ratio}x (target >= ${r.targetRatio}x: ${met(r.ratio >= r.targetRatio)})`);
  console.log(`  ratio Koa floor / bare: ${r.floorRatio}x (bare Koa plus the panel's first layer and envelope: request id, client address, security headers, error answers, access-log line)`);
  console.log(`  ratio panel / Koa floor: ${r.panelOverFloor}x`);
  console.log(
    `  ratio floor + koa-session / bare: ${Math.floor((r.floorSession.reqPerSec / r.bare.reqPerSec) * 1000) / 1000}x ` +
      `(the best any implementation that keeps koa-session can reach here, before lookup, sign-in, limits and routing)`,
  );
  const perRequestUs = (x: ThroughputResult['panel']) => 1e6 / x.reqPerSec;
  console.log(
    `  time per request, from the rates above: bare ${perRequestUs(r.bare).toFixed(1)} us, floor ${perRequestUs(r.floor).toFixed(1)} us, ` +
      `floor + koa-session ${perRequestUs(r.floorSession).toFixed(1)} us, panel /healthz ${perRequestUs(r.panelHealth).toFixed(1)} us, panel /users/me ${perRequestUs(r.panel).toFixed(1)} us ` +
      `(the API's session, sign-in, limits and route: ${(perRequestUs(r.panel) - perRequestUs(r.panelHealth)).toFixed(1)} us)`,
  );
  if (r.panel.non2xx > 0) console.log(`  WARNING: the panel answered ${r.panel.non2xx} requests with a non-2xx status; its req/s is not the request path alone.`);
}

function printOAuth(r: OAuthBenchResult): void {
  const s = r.settings;
  console.log(`\nOAuth2: GET ${s.path} with a session cookie vs a bearer token, and POST /oauth2/token (client_secret_basic)` + `\n  (autocannon, ${s.connections} connections; ${s.rounds} alternating rounds of ${s.durationSeconds} s, the median round shown)`);
  const row = (name: string, x: OAuthBenchResult['session']) => [name, String(x.reqPerSec), String(x.latencyP50Ms), String(x.latencyP99Ms), String(x.requests), String(x.non2xx), String(x.errors), x.rounds.join(' / ')];
  console.log(
    table([
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'req/s by round'],
      row('session cookie', r.session),
      row('bearer token', r.bearer),
      row('token issuance', r.tokens),
    ]),
  );
  console.log(`  ratio bearer / session: ${r.bearerOverSession}x (target >= ${r.targetRatio}x: ${met(r.bearerOverSession >= r.targetRatio)})`);
  console.log(`  ratio token issuance / bearer requests: ${r.tokensOverBearer}x (${r.tokens.reqPerSec} tokens/s: each is a stored token row, an audit event and an audit.log line)`);
}

function printAnalyze(r: AnalyzeBenchResult): void {
  console.log(`\naether analyze vs fail2ban-regex (${r.fail2ban.version}, Debian's sshd filter) on the same generated ${r.lines.toLocaleString('en')}-line sshd auth.log`);
  console.log(
    table([
      ['run', 'seconds', 'lines/s', 'peak RSS'],
      ['fail2ban-regex', r.fail2ban.seconds.toFixed(2), String(r.fail2ban.linesPerSecond), `${r.fail2ban.peakRssMiB} MiB`],
      ['aether analyze', r.aether.seconds.toFixed(2), String(r.aether.linesPerSecond), `${r.aether.peakRssMiB} MiB (launcher ${r.aether.launcherPeakRssMiB} MiB)`],
      [`aether analyze, ${r.aetherLong.lines.toLocaleString('en')} lines`, r.aetherLong.seconds.toFixed(2), String(r.aetherLong.linesPerSecond), `${r.aetherLong.peakRssMiB} MiB`],
    ]),
  );
  console.log(`  speed-up over fail2ban-regex: ${r.speedup}x (target >= ${r.targets.speedup}x: ${met(r.speedup >= r.targets.speedup)}); wall time of each whole command`);
  const flat = Math.max(r.aether.peakRssMiB, r.aetherLong.peakRssMiB);
  console.log(`  peak RSS of the analyzer: ${r.aether.peakRssMiB} MiB for 1x, ${r.aetherLong.peakRssMiB} MiB for 4x the lines (target <= ${r.targets.peakRssMiB} MiB: ${met(flat <= r.targets.peakRssMiB)})`);
  const t = r.truth;
  console.log(`  ground truth: ${t.burstsFound}/${t.bursts} bursts, ${t.loginsAfterBurstFound}/${t.loginsAfterBurst} logins after a burst, ${t.invented} invented (${met(t.burstsFound === t.bursts && t.loginsAfterBurstFound === t.loginsAfterBurst)})`);
}

function printAlerts(r: AlertsBenchResult): void {
  const p = r.pipeline;
  const l = r.latency;
  console.log(`\nAlerts: ${p.detections} detections per run through rule -> detection -> alert -> outbox (one SMTP channel), ${p.rounds.toAlerts.length} alternating runs, median shown`);
  console.log(
    table([
      ['metric', 'value', 'runs / baseline'],
      ['detections stored, no alerting (baseline)', `${p.storedOnlyPerSecond}/s`, p.rounds.storedOnly.join(' / ')],
      ['detections to stored alerts and notifications', `${p.toAlertsPerSecond}/s`, p.rounds.toAlerts.join(' / ')],
      ['ratio alerts / stored only', `${p.ratio}x`, `${p.alertsStored} alerts stored`],
      [`detection -> SMTP server has the mail (median of ${l.samples})`, `${l.panelMedianMs} ms`, `p95 ${l.panelP95Ms} ms`],
      ['nodemailer straight to the same server (baseline)', `${l.directMedianMs} ms`, `p95 ${l.directP95Ms} ms`],
      ['ratio panel / direct', `${l.ratio}x`, ''],
    ]),
  );
}

function printSftp(r: SftpBenchResult): void {
  console.log(`\nSFTP: ${r.mib} MiB up and down with the OpenSSH sftp client, the panel against OpenSSH's internal-sftp, medians of ${r.rounds} alternating rounds`);
  console.log(
    table([
      ['direction', 'panel', 'OpenSSH internal-sftp', 'ratio (panel / OpenSSH throughput)', 'target'],
      ['upload', `${r.panel.upMs} ms (${r.panel.upMBps} MB/s)`, `${r.openssh.upMs} ms (${r.openssh.upMBps} MB/s)`, `${r.ratio.up}x`, `>= ${r.targetRatio}x: ${met(r.ratio.up >= r.targetRatio)}`],
      ['download', `${r.panel.downMs} ms (${r.panel.downMBps} MB/s)`, `${r.openssh.downMs} ms (${r.openssh.downMBps} MB/s)`, `${r.ratio.down}x`, `>= ${r.targetRatio}x: ${met(r.ratio.down >= r.targetRatio)}`],
    ]),
  );
}

function printBackup(r: BackupBenchResult): void {
  const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
  console.log(`\nBackup and restore: a server with ${r.mib} MiB of files, with the aether CLI vs tar + gzip -1 + age in the same run`);
  console.log(
    table([
      ['step', 'aether', 'tar / gzip / age', 'aether / tools (time)', 'aether peak RSS', 'target'],
      ['backup create --files', `${r.backup.panelMs} ms (${mib(r.backup.panelBytes)})`, `${r.backup.toolsMs} ms (${mib(r.backup.toolsBytes)})`, `${r.backup.ratio}x`, `${r.backup.panelPeakRssMiB} MiB`, `<= ${r.targetPeakRssMiB} MiB: ${met(r.backup.panelPeakRssMiB <= r.targetPeakRssMiB)}`],
      ['restore', `${r.restore.panelMs} ms`, `${r.restore.toolsMs} ms`, `${r.restore.ratio}x`, `${r.restore.panelPeakRssMiB} MiB`, `<= ${r.targetPeakRssMiB} MiB: ${met(r.restore.panelPeakRssMiB <= r.targetPeakRssMiB)}`],
    ]),
  );
}

function printServers(r: ServersBenchResult): void {
  const l = r.lifecycle;
  const c = r.console;
  console.log(
    `\nServers: ${r.servers} servers from the test template created, then started, then stopped (stop command, wait for exit), one at a time,` +
      `\n  through the panel's API vs the same containers with the docker CLI; ${r.rounds} alternating rounds, the median shown`,
  );
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const row = (phase: string, key: keyof ServersBenchResult['lifecycle']['panel']) => [
    phase,
    `${l.panel[key]} ms`,
    `${l.cli[key]} ms`,
    ratio(l.panel[key], l.cli[key]),
    l.byRound.panel.map((x) => x[key]).join(' / '),
    l.byRound.cli.map((x) => x[key]).join(' / '),
  ];
  console.log(
    table([
      ['phase', 'panel API', 'docker CLI', 'panel / CLI', 'panel ms by round', 'CLI ms by round'],
      row(`create ${r.servers}`, 'createMs'),
      row(`start ${r.servers}`, 'startMs'),
      row(`stop ${r.servers}`, 'stopMs'),
      row('total', 'totalMs'),
    ]),
  );
  console.log(`  ratio panel / CLI, total: ${l.ratio}x (target <= ${l.targetRatio}x: ${met(l.ratio <= l.targetRatio)})`);
  console.log(`  stopped with exit code 0 (by the stop command, not killed): panel ${l.exitedZero.panel}/${l.exitedZero.of}, CLI ${l.exitedZero.cli}/${l.exitedZero.of}`);
  console.log(`  same containers: ${l.comparedSettings} settings of a panel container and a CLI one identical in docker inspect (names, ports and paths aside)`);
  console.log(`\nConsole round trip: a command in, until its echo is back (${c.samples} samples of each, alternating, after warm-up)`);
  console.log(
    table([
      ['path', 'median', 'p95'],
      ['panel WebSocket (bearer token) -> output frame', `${c.panelMedianMs} ms`, `${c.panelP95Ms} ms`],
      ['docker attach to the same container (baseline)', `${c.cliMedianMs} ms`, `${c.cliP95Ms} ms`],
      ['ratio panel / docker attach', `${c.ratio}x`, ''],
    ]),
  );
}

function printReplicas(r: ReplicasResult): void {
  const s = r.settings;
  console.log(
    `\nReplicas: signed-in GET /api/v1/users/me on one replica vs two replicas sharing one MariaDB, one Redis and one data directory` +
      `\n  (autocannon, ${s.connections} connections in all, split evenly between the replicas; warmed up ${s.warmupSeconds} s, then ${s.durationSeconds} s per round in ${s.rounds} alternating rounds; ${s.cores} CPUs)`,
  );
  console.log(
    table([
      ['setup', 'req/s (median round)', 'req/s by round', 'non-2xx', 'errors'],
      ['one replica', String(r.oneMedian), r.one.join(' / '), String(r.non2xx.one), String(r.errors.one)],
      ['two replicas', String(r.twoMedian), r.two.join(' / '), String(r.non2xx.two), String(r.errors.two)],
      ['ratio two / one', `${r.ratio}x`, '', '', ''],
    ]),
  );
  console.log(
    table([
      ['requests per CPU-second of the panel processes', 'value', 'target'],
      [`one replica, ${s.connections} connections`, String(r.perCpuSecond.one), ''],
      [`one replica, ${s.connections / 2} connections (each replica's share below)`, String(r.perCpuSecond.half), ''],
      [`two replicas, ${s.connections / 2} connections each`, String(r.perCpuSecond.two), ''],
      ['ratio two / one at the same load per replica', `${r.efficiency}x`, `>= ${REPLICAS.targetEfficiency}x: ${met(r.efficiency >= REPLICAS.targetEfficiency)}`],
    ]),
  );
}

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(BENCHES as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHES.join(', ')}.`);
  process.exit(2);
}
const selected: BenchName[] = asked.length ? (asked as BenchName[]) : [...BENCHES];

console.log(`Aether Panel benchmarks: node ${process.version}, ${availableParallelism()} CPUs, ${new Date().toISOString()}`);
const summary: { node: string; cpus: number; loginFlood?: LoginFloodResult; login2fa?: Login2faResult; throughput?: ThroughputResult; oauth?: OAuthBenchResult; analyze?: AnalyzeBenchResult; alerts?: AlertsBenchResult; servers?: ServersBenchResult; sftp?: SftpBenchResult; backup?: BackupBenchResult; replicas?: ReplicasResult } = {
  node: process.version,
  cpus: availableParallelism(),
};
if (selected.includes('login-flood')) {
  summary.loginFlood = await runLoginFlood();
  printLoginFlood(summary.loginFlood);
}
if (selected.includes('login-2fa')) {
  summary.login2fa = await runLogin2fa();
  printLogin2fa(summary.login2fa);
}
if (selected.includes('throughput')) {
  summary.throughput = await runThroughput();
  printThroughput(summary.throughput);
}
if (selected.includes('oauth')) {
  summary.oauth = await runOAuthBench();
  printOAuth(summary.oauth);
}
if (selected.includes('analyze')) {
  summary.analyze = await runAnalyzeBench();
  printAnalyze(summary.analyze);
}
if (selected.includes('alerts')) {
  summary.alerts = await runAlertsBench();
  printAlerts(summary.alerts);
}
if (selected.includes('servers')) {
  summary.servers = await runServersBench();
  printServers(summary.servers);
}
if (selected.includes('sftp')) {
  summary.sftp = await runSftpBench();
  printSftp(summary.sftp);
}
if (selected.includes('backup')) {
  summary.backup = await runBackupBench();
  printBackup(summary.backup);
}
if (selected.includes('replicas')) {
  summary.replicas = await runReplicasBench(availableParallelism());
  printReplicas(summary.replicas);
}
console.log(`\n${JSON.stringify(summary)}`);

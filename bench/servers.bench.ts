// Servers: create + start + stop of 20 servers through the panel's HTTP API against the same containers made, started
// and stopped with the docker CLI, in alternating rounds of one run; and the console round trip (a command in, its echo
// out) over the panel's WebSocket against a plain `docker attach` to the same container.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { dockerReachable, TEST_IMAGE, testImageCurrent } from '../scripts/test-image.js';
import { CONTAINER_LABELS, containerSpec, type ContainerSpec } from '../src/servers/container-spec.ts';
import type { Template } from '../src/servers/templates/template.schema.ts';
import type { Res, TestClient } from '../test/helpers/client.ts';
import { panelWithAdmin } from '../test/helpers/fixtures.ts';
import { requestToken } from '../test/helpers/oauth.ts';

export const SERVERS_BENCH = {
  /** Servers created, started and stopped per side and round, one at a time (as a person clicking would). */
  servers: 20,
  /** Rounds; the side that goes first swaps every round. Medians are reported. */
  rounds: 3,
  template: 'test-server',
  /** Host ports of the panel's servers and of the CLI's containers: ranges of their own, away from the tests' ones. */
  panelPorts: { min: 38400, max: 38429 },
  cliPortMin: 38500,
  /** Ports are published on loopback only. */
  hostIp: '127.0.0.1',
  targetRatio: 1.2,
  consoleSamples: 50,
  consoleWarmup: 5,
  /** The console socket takes 10 commands a second; the panel's commands are sent at least this far apart. */
  consoleGapMs: 150,
  /** An echo (or a stop) slower than this means the benchmark is broken, not slow. */
  echoTimeoutMs: 10_000,
};

/** Stands in for io.aether.server on the CLI's containers, so the panel's event watcher leaves them alone. */
const BENCH_LABEL = 'io.aether.bench.server';

export type LifecyclePhases = { createMs: number; startMs: number; stopMs: number; totalMs: number };

export type ServersBenchResult = {
  servers: number;
  rounds: number;
  lifecycle: {
    /** Each phase's median over the rounds; totalMs is the median round total. */
    panel: LifecyclePhases;
    cli: LifecyclePhases;
    byRound: { panel: LifecyclePhases[]; cli: LifecyclePhases[] };
    /** Median panel total over median CLI total. */
    ratio: number;
    targetRatio: number;
    /** Containers that had exited with code 0 (stopped by the stop command, not killed) after each stop phase. */
    exitedZero: { panel: number; cli: number; of: number };
    /** Settings of a panel container and a CLI container found identical by `docker inspect` before the rounds. */
    comparedSettings: number;
  };
  console: { samples: number; panelMedianMs: number; panelP95Ms: number; cliMedianMs: number; cliP95Ms: number; ratio: number };
};

const execFileAsync = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await execFileAsync('docker', args, { encoding: 'utf8' })).stdout;
/** For clean-up: whatever is already gone is fine. */
const dockerQuietly = (...args: string[]) => docker(...args).catch(() => '');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const round1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expect(res: Res, status: number, what: string): Res {
  if (res.status !== status) throw new Error(`servers bench: ${what} answered ${res.status}: ${res.text}`);
  return res;
}

/** One way of making, starting and stopping servers; the i-th of a round each time. */
type Side = { create(i: number): Promise<void>; start(i: number): Promise<void>; stop(i: number): Promise<void>; containers(): string[]; cleanup(): Promise<void> };

/** The panel: every step one API call, as the UI makes it. `left` holds server id -> container name until deleted. */
function panelSide(admin: TestClient, left: Map<string, string>): Side {
  let servers: Array<{ id: string; container: string }> = [];
  let seq = 0;
  const power = async (i: number, action: 'start' | 'stop', state: string) => {
    const res = expect(await admin.post(`/api/v1/servers/${servers[i]!.id}/power`, { action }), 200, `power ${action}`);
    if (res.body.server.state !== state) throw new Error(`servers bench: ${action} left the server ${res.body.server.state}`);
  };
  return {
    async create() {
      const res = expect(await admin.post('/api/v1/servers', { name: `bench-${(seq += 1)}`, template: SERVERS_BENCH.template }), 201, 'create');
      const server = { id: res.body.server.id as string, container: `aether-${res.body.server.shortId as string}` };
      left.set(server.id, server.container);
      servers.push(server);
    },
    start: (i) => power(i, 'start', 'running'),
    stop: (i) => power(i, 'stop', 'stopped'),
    containers: () => servers.map((s) => s.container),
    async cleanup() {
      for (const s of servers) {
        expect(await admin.del(`/api/v1/servers/${s.id}`), 204, 'delete');
        left.delete(s.id);
      }
      servers = [];
    },
  };
}

/** `docker create` arguments for a spec; a field it does not translate stops the benchmark rather than compare unlike containers. */
function createArgs(spec: ContainerSpec): string[] {
  const { HostConfig: h, ...c } = spec;
  const known = ['name', 'Image', 'Cmd', 'Env', 'User', 'WorkingDir', 'Labels', 'OpenStdin', 'StdinOnce', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'Tty', 'StopSignal', 'StopTimeout', 'ExposedPorts'];
  const knownHost = ['CapDrop', 'CapAdd', 'SecurityOpt', 'Privileged', 'ReadonlyRootfs', 'Tmpfs', 'Memory', 'MemorySwap', 'OomKillDisable', 'NanoCpus', 'PidsLimit', 'Mounts', 'NetworkMode', 'PortBindings', 'PublishAllPorts', 'LogConfig', 'RestartPolicy', 'Init', 'IpcMode', 'PidMode'];
  const unknown = [...Object.keys(c).filter((k) => !known.includes(k)), ...Object.keys(h).filter((k) => !knownHost.includes(k)).map((k) => `HostConfig.${k}`)];
  if (unknown.length) throw new Error(`servers bench: containerSpec sets ${unknown.join(', ')}, which the CLI baseline does not translate yet`);
  if (!c.OpenStdin || c.Tty || h.Privileged || h.OomKillDisable || h.PublishAllPorts || h.PidMode) throw new Error('servers bench: the container spec changed (stdin, TTY, privileged, OOM, ports or PID mode); update createArgs');
  const pairs = (flag: string, values: readonly string[] | undefined) => (values ?? []).flatMap((v) => [flag, v]);
  const bindings = Object.entries(h.PortBindings ?? {}) as Array<[string, Array<{ HostIp: string; HostPort: string }>]>;
  return [
    'create',
    '--name', spec.name,
    '--interactive',
    ...pairs('--env', c.Env),
    '--user', c.User,
    '--workdir', String(c.WorkingDir),
    ...pairs('--label', Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`)),
    '--stop-signal', String(c.StopSignal),
    '--stop-timeout', String(c.StopTimeout),
    ...pairs('--cap-drop', h.CapDrop),
    ...pairs('--cap-add', h.CapAdd),
    ...pairs('--security-opt', h.SecurityOpt),
    ...(h.ReadonlyRootfs ? ['--read-only'] : []),
    ...pairs('--tmpfs', Object.entries(h.Tmpfs ?? {}).map(([path, opts]) => `${path}:${opts}`)),
    '--memory', String(h.Memory),
    '--memory-swap', String(h.MemorySwap),
    '--cpus', String(Number(h.NanoCpus) / 1e9),
    '--pids-limit', String(h.PidsLimit),
    ...pairs('--mount', (h.Mounts ?? []).map((m) => `type=${m.Type},source=${m.Source},target=${m.Target}${m.ReadOnly ? ',readonly' : ''}${m.BindOptions?.Propagation ? `,bind-propagation=${m.BindOptions.Propagation}` : ''}`)),
    '--network', String(h.NetworkMode),
    ...pairs('--publish', bindings.flatMap(([port, list]) => list.map((b) => `${b.HostIp}:${b.HostPort}:${port}`))),
    ...pairs('--expose', Object.keys(c.ExposedPorts ?? {}).filter((p) => !bindings.some(([b]) => b === p))),
    '--log-driver', String(h.LogConfig?.Type),
    ...pairs('--log-opt', Object.entries(h.LogConfig?.Config ?? {}).map(([k, v]) => `${k}=${v}`)),
    '--restart', String(h.RestartPolicy?.Name),
    ...(h.Init ? ['--init'] : []),
    '--ipc', String(h.IpcMode),
    c.Image,
    ...(c.Cmd ? [...(c.Cmd as string[])] : []),
  ];
}

/** Waits for a container's `docker attach` to end, which it does when the container exits; kills it after the template's timeout, as the panel does. */
function attachUntilExit(name: string, line: string, timeoutSeconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['attach', '--sig-proxy=false', name], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => void dockerQuietly('kill', name), timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // `docker attach` exits with the container's exit code; only its own failures (it could not attach) say so on stderr.
      if (code !== 0 && stderr.trim()) reject(new Error(`servers bench: docker attach ${name}: ${stderr.trim()}`));
      else resolve();
    });
    child.stdin.end(`${line}\n`);
  });
}

/** The docker CLI: the containers the panel would make, from the panel's own spec, made, started and stopped by hand. */
function cliSide(template: Template, work: string, left: Set<string>): Side {
  const runId = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  let names: string[] = [];
  let seq = 0;
  const [uid, gid] = template.user.split(':').map(Number) as [number, number];
  return {
    async create(i) {
      // Names as long as the panel's: aether- and 8 characters.
      const shortId = `c${runId}${(seq += 1).toString(36).padStart(3, '0')}`;
      const hostPort = SERVERS_BENCH.cliPortMin + i * template.ports.length;
      const dataDir = join(work, shortId);
      const ports = template.ports.map((p, k) => ({ name: p.name, container: p.env ? hostPort + k : p.container, protocol: p.protocol, hostIp: SERVERS_BENCH.hostIp, hostPort: hostPort + k }));
      const spec = containerSpec({ server: { id: shortId, shortId, name: shortId, ...template.limits, env: {}, ports }, template, dataDir, networkName: `aether-${shortId}`, image: template.image });
      const { [CONTAINER_LABELS.server]: serverLabel, ...labels } = spec.Labels;
      spec.Labels = { [BENCH_LABEL]: serverLabel ?? shortId, ...labels };
      left.add(spec.name);
      names.push(spec.name);
      // What the panel does for the data directory, in-process here too (and, like the panel, going on when not root).
      mkdirSync(dataDir, { recursive: true, mode: 0o750 });
      chmodSync(dataDir, 0o750);
      try {
        chownSync(dataDir, uid, gid);
      } catch {}
      await docker('network', 'create', '--driver', 'bridge', '--label', `${BENCH_LABEL}=${shortId}`, '--label', `${CONTAINER_LABELS.managed}=true`, '--opt', 'com.docker.network.bridge.enable_icc=false', String(spec.HostConfig.NetworkMode));
      await docker(...createArgs(spec));
    },
    start: async (i) => void (await docker('start', names[i]!)),
    stop: (i) => attachUntilExit(names[i]!, template.stop.command ?? '', template.stop.timeoutSeconds),
    containers: () => [...names],
    async cleanup() {
      if (names.length === 0) return;
      await dockerQuietly('rm', '-f', ...names);
      await dockerQuietly('network', 'rm', ...names);
      for (const name of names) {
        rmSync(join(work, name.slice('aether-'.length)), { recursive: true, force: true });
        left.delete(name);
      }
      names = [];
    },
  };
}

/** Compares the settings both sides must share, from `docker inspect`, with the names, ports and paths of each taken out; returns how many. */
async function sameContainer(panelName: string, cliName: string): Promise<number> {
  const inspected = JSON.parse(await docker('inspect', panelName, cliName)) as Array<{ Name: string; Config: Record<string, any>; HostConfig: Record<string, any> }>;
  const empty = (v: unknown) => v === null || v === undefined || (typeof v === 'object' && Object.keys(v as object).length === 0);
  const view = (x: (typeof inspected)[number]) => {
    const name = x.Name.replace(/^\//, '');
    const port = String((Object.values(x.HostConfig.PortBindings ?? {}) as Array<Array<{ HostPort: string }>>).flat()[0]?.HostPort ?? 'none');
    const dataDir = String(x.HostConfig.Mounts?.[0]?.Source ?? 'none');
    const fields: Record<string, unknown> = { labels: Object.keys(x.Config.Labels ?? {}).map((k) => (k === BENCH_LABEL ? CONTAINER_LABELS.server : k)).sort(), env: [...(x.Config.Env ?? [])].sort() };
    for (const k of ['Image', 'Cmd', 'Entrypoint', 'User', 'WorkingDir', 'OpenStdin', 'Tty', 'StopSignal', 'StopTimeout', 'ExposedPorts']) fields[k] = x.Config[k];
    for (const k of ['CapDrop', 'CapAdd', 'SecurityOpt', 'Privileged', 'ReadonlyRootfs', 'Tmpfs', 'Memory', 'MemorySwap', 'NanoCpus', 'CpuQuota', 'CpuShares', 'PidsLimit', 'OomKillDisable', 'Mounts', 'Binds', 'NetworkMode', 'PortBindings', 'PublishAllPorts', 'LogConfig', 'RestartPolicy', 'Init', 'IpcMode', 'PidMode', 'UsernsMode', 'Devices', 'ShmSize', 'Runtime', 'MaskedPaths', 'ReadonlyPaths']) {
      fields[`HostConfig.${k}`] = empty(x.HostConfig[k]) ? null : x.HostConfig[k];
    }
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, JSON.stringify(v ?? null).replaceAll(dataDir, '<data>').replaceAll(name, '<name>').replaceAll(port, '<port>')]));
  };
  const [a, b] = inspected.map(view) as [Record<string, string>, Record<string, string>];
  // Their networks: the same driver and options (no traffic between containers on it).
  const nets = JSON.parse(await docker('network', 'inspect', ...inspected.map((x) => String(x.HostConfig.NetworkMode)))) as Array<Record<string, unknown>>;
  nets.forEach((net, i) => Object.assign([a, b][i]!, { network: JSON.stringify([net.Driver, net.Options, net.Internal, net.EnableIPv6]) }));
  const differ = Object.keys(a).filter((k) => a[k] !== b[k]);
  if (differ.length) throw new Error(`servers bench: the CLI's container differs from the panel's in ${differ.map((k) => `${k} (panel ${a[k]}, CLI ${b[k]})`).join('; ')}`);
  return Object.keys(a).length;
}

/** Times the three phases, each the n servers one after another. */
async function timeRound(side: Side, n: number): Promise<LifecyclePhases> {
  const phase = async (step: (i: number) => Promise<void>) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i += 1) await step(i);
    return Math.round(performance.now() - t0);
  };
  const createMs = await phase(side.create);
  const startMs = await phase(side.start);
  const stopMs = await phase(side.stop);
  return { createMs, startMs, stopMs, totalMs: createMs + startMs + stopMs };
}

/** How many of the containers are stopped with exit code 0. */
async function exitedZero(names: string[]): Promise<number> {
  const out = await docker('inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', ...names);
  return out.split('\n').filter((l) => l.trim() === 'false 0').length;
}

/** Text arriving from somewhere (since the last reset), and a wait for one piece of it. */
function textWatch() {
  let text = '';
  let waiter: { needle: string; settle: (err?: Error) => void } | null = null;
  return {
    push(data: string) {
      text += data;
      if (waiter && text.includes(waiter.needle)) waiter.settle();
    },
    fail: (err: Error) => waiter?.settle(err),
    until(needle: string): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const settle = (err?: Error) => {
          clearTimeout(timer);
          waiter = null;
          if (err) reject(err);
          else resolve();
        };
        const timer = setTimeout(() => settle(new Error(`servers bench: no ${JSON.stringify(needle)} within ${SERVERS_BENCH.echoTimeoutMs} ms`)), SERVERS_BENCH.echoTimeoutMs);
        waiter = { needle, settle };
        if (text.includes(needle)) settle();
      });
    },
    reset() {
      text = '';
    },
  };
}

/** Sends one command and times it until its echo line has arrived. */
async function roundTrip(watch: ReturnType<typeof textWatch>, send: (command: string) => void, command: string): Promise<number> {
  watch.reset();
  const echoed = watch.until(`> ${command}\n`);
  const t0 = performance.now();
  send(command);
  await echoed;
  return performance.now() - t0;
}

async function consoleRoundTrips(panelUrl: string, admin: TestClient, left: Map<string, string>): Promise<ServersBenchResult['console']> {
  const created = expect(await admin.post('/api/v1/servers', { name: 'bench-console', template: SERVERS_BENCH.template }), 201, 'create');
  const id = created.body.server.id as string;
  const container = `aether-${created.body.server.shortId as string}`;
  left.set(id, container);
  expect(await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' }), 200, 'power start');
  const client = expect(await admin.post('/api/v1/clients', { name: `bench-console-${Date.now()}`, scopes: [`server.console:${id}`, `server.console.send:${id}`] }), 201, 'create OAuth2 client');
  const token = expect(await requestToken(panelUrl, { clientId: client.body.client.id, clientSecret: client.body.clientSecret }), 200, 'token').body.access_token as string;

  const viaPanel = textWatch();
  const ws = new WebSocket(`${panelUrl.replace('http', 'ws')}/api/v1/servers/${id}/console`, { headers: { Authorization: `Bearer ${token}` } });
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { type: string; data?: string; lines?: string[]; code?: string };
    if (frame.type === 'output') viaPanel.push(frame.data ?? '');
    else if (frame.type === 'history') viaPanel.push((frame.lines ?? []).map((l) => `${l}\n`).join(''));
    else if (frame.type === 'error') viaPanel.fail(new Error(`servers bench: the console answered ${frame.code}`));
  });
  const direct = textWatch();
  let attach: ReturnType<typeof spawn> | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`servers bench: console socket refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    await viaPanel.until('listening on port');
    // The baseline: a client attached to the same container's stdin and stdout, with nothing in between.
    attach = spawn('docker', ['attach', '--sig-proxy=false', container], { stdio: ['pipe', 'pipe', 'pipe'] });
    let attachErr = '';
    attach.stderr!.on('data', (c: Buffer) => (attachErr += c.toString('utf8')));
    attach.on('close', () => direct.fail(new Error(`servers bench: docker attach ended: ${attachErr.trim() || 'no message'}`)));
    attach.stdout!.setEncoding('utf8');
    attach.stdout!.on('data', (d: string) => direct.push(d));
    const stdin = attach.stdin!;
    const panelMs: number[] = [];
    const cliMs: number[] = [];
    let lastPanelSend = -Infinity;
    const samplePanel = async (i: number) => {
      await sleep(lastPanelSend + SERVERS_BENCH.consoleGapMs - performance.now());
      lastPanelSend = performance.now();
      return roundTrip(viaPanel, (c) => ws.send(JSON.stringify({ type: 'command', command: c })), `say panel-${i}`);
    };
    const sampleCli = (i: number) => roundTrip(direct, (c) => stdin.write(`${c}\n`), `say cli-${i}`);
    for (let i = 0; i < SERVERS_BENCH.consoleWarmup + SERVERS_BENCH.consoleSamples; i += 1) {
      // The order swaps every time, so neither side always runs right after the other.
      let p: number;
      let c: number;
      if (i % 2 === 0) {
        p = await samplePanel(i);
        c = await sampleCli(i);
      } else {
        c = await sampleCli(i);
        p = await samplePanel(i);
      }
      if (i >= SERVERS_BENCH.consoleWarmup) {
        panelMs.push(p);
        cliMs.push(c);
      }
    }
    const pm = median(panelMs);
    const cm = median(cliMs);
    return { samples: panelMs.length, panelMedianMs: round1(pm), panelP95Ms: round1(p95(panelMs)), cliMedianMs: round1(cm), cliP95Ms: round1(p95(cliMs)), ratio: Math.round((pm / cm) * 100) / 100 };
  } finally {
    ws.close();
    if (attach && attach.exitCode === null && attach.signalCode === null) {
      const exited = new Promise((resolve) => attach!.once('close', resolve));
      // The attached CLI catches SIGTERM and stays; SIGKILL ends it (only it: the panel deletes the container next).
      attach.kill('SIGKILL');
      await exited;
    }
    expect(await admin.del(`/api/v1/servers/${id}`), 204, 'delete');
    left.delete(id);
  }
}

export async function runServersBench(): Promise<ServersBenchResult> {
  if (!dockerReachable()) throw new Error('servers bench: no Docker Engine answers (docker info); start dockerd');
  if (!testImageCurrent()) throw new Error(`servers bench: ${TEST_IMAGE} is missing or stale: apt-get install busybox-static, then npm run test:image`);
  // API limits out of the way (they only count here, but 3 rounds of 80+ calls come near the default per minute).
  const limit = { points: 1_000_000, durationSeconds: 60, blockSeconds: 0 };
  const { panel, admin } = await panelWithAdmin({ servers: { portRange: SERVERS_BENCH.panelPorts, publicIp: SERVERS_BENCH.hostIp }, rateLimits: { apiPerIp: limit, apiPerPrincipal: limit } });
  const work = mkdtempSync(join(tmpdir(), 'aether-bench-servers-'));
  // What exists until it is deleted, so that a failure anywhere still removes it.
  const panelLeft = new Map<string, string>();
  const cliLeft = new Set<string>();
  try {
    const template = await panel.services.templates.get(SERVERS_BENCH.template);
    const sides = { panel: panelSide(admin, panelLeft), cli: cliSide(template, work, cliLeft) };

    // Warm-up, one server each way (first connections, the panel's image check, caches); the two containers must
    // carry the same settings, or the comparison is not of like with like.
    await sides.panel.create(0);
    await sides.cli.create(0);
    const comparedSettings = await sameContainer(sides.panel.containers()[0]!, sides.cli.containers()[0]!);
    for (const side of [sides.panel, sides.cli]) {
      await side.start(0);
      await side.stop(0);
      await side.cleanup();
    }

    const n = SERVERS_BENCH.servers;
    const byRound = { panel: [] as LifecyclePhases[], cli: [] as LifecyclePhases[] };
    const exited = { panel: 0, cli: 0 };
    for (let r = 0; r < SERVERS_BENCH.rounds; r += 1) {
      for (const name of r % 2 === 0 ? (['panel', 'cli'] as const) : (['cli', 'panel'] as const)) {
        byRound[name].push(await timeRound(sides[name], n));
        exited[name] += await exitedZero(sides[name].containers());
        await sides[name].cleanup();
      }
    }
    const medians = (rounds: LifecyclePhases[]): LifecyclePhases => ({
      createMs: median(rounds.map((x) => x.createMs)),
      startMs: median(rounds.map((x) => x.startMs)),
      stopMs: median(rounds.map((x) => x.stopMs)),
      totalMs: median(rounds.map((x) => x.totalMs)),
    });
    const panelPhases = medians(byRound.panel);
    const cliPhases = medians(byRound.cli);
    const consoleResult = await consoleRoundTrips(panel.url, admin, panelLeft);
    return {
      servers: n,
      rounds: SERVERS_BENCH.rounds,
      lifecycle: {
        panel: panelPhases,
        cli: cliPhases,
        byRound,
        // Rounded up, so the target is never met by rounding (1.2004 is not 1.2).
        ratio: Math.ceil((panelPhases.totalMs / cliPhases.totalMs) * 1000) / 1000,
        targetRatio: SERVERS_BENCH.targetRatio,
        exitedZero: { ...exited, of: n * SERVERS_BENCH.rounds },
        comparedSettings,
      },
      console: consoleResult,
    };
  } finally {
    for (const id of [...panelLeft.keys()]) {
      if ((await admin.del(`/api/v1/servers/${id}`).catch(() => null))?.status === 204) panelLeft.delete(id);
    }
    await panel.close();
    // Whatever the panel could not delete, and the CLI's containers: by name (a container and its network share it).
    const names = [...panelLeft.values(), ...cliLeft];
    if (names.length) {
      await dockerQuietly('rm', '-f', ...names);
      await dockerQuietly('network', 'rm', ...names);
    }
    rmSync(work, { recursive: true, force: true });
  }
}

// Container tests need a real Docker Engine and the local test image (npm run test:image): skip loudly without them,
// fail under AETHER_TEST_REQUIRE_ALL=1. Tests of several nodes start a throwaway second engine and put a TLS endpoint
// with client certificates in front of an engine, as a remote node has.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import { dockerReachable, testImageCurrent, TEST_IMAGE } from '../../scripts/test-image.js';
import { needs } from './require-component.ts';

export { TEST_IMAGE };

/** Where the local engine answers (the panel's default servers.dockerSocket). */
export const DOCKER_SOCKET = '/var/run/docker.sock';

let known: { engine: boolean; image: boolean } | null = null;

export function needsDocker(t: TestContext): boolean {
  known ??= { engine: dockerReachable(), image: false };
  if (known.engine && !known.image) known.image = testImageCurrent();
  if (!needs(t, 'docker', known.engine, 'engine not reachable at /var/run/docker.sock: apt-get install docker.io and start dockerd')) return false;
  return needs(t, 'the test image', known.image, `${TEST_IMAGE} is missing or stale: apt-get install busybox-static, then npm run test:image`);
}

/** True when this process may start a Docker Engine of its own beside the usual one (root, with dockerd installed). */
export const CAN_START_ENGINE = process.getuid?.() === 0 && spawnSync('dockerd', ['--version'], { stdio: 'ignore' }).status === 0;
export const ENGINE_MISSING = 'cannot be started by this test: it needs root and dockerd (apt-get install docker.io)';

/** True when openssl is installed (it makes test certificates). */
export const HAS_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** A throwaway Docker Engine of the test's own, its files and socket under one directory. */
export type ThrowawayEngine = {
  socket: string;
  /** Whether its dockerd runs now. */
  running(): boolean;
  /** Starts dockerd (again, on the same data) and waits until it answers. */
  start(): Promise<void>;
  /** Kills dockerd at once (SIGKILL), as an engine that goes away: with live-restore its containers keep running. */
  kill(): Promise<void>;
  /** `docker` against this engine. */
  docker(...args: string[]): SpawnSyncReturns<string>;
  /** Its containers and networks removed, dockerd (and the containerd it started) stopped, its mounts and files gone. */
  close(): Promise<void>;
};

/**
 * A second Docker Engine on this host, beside the usual one: its own data root, exec root (with the containerd it
 * starts), pid file and socket; a default bridge of its own (made here: an engine started without one deletes the
 * host's docker0) and no iptables rules (the host's engine owns those), networks from its own address pool, and
 * live-restore so that its containers outlive the daemon as on a node that goes away.
 */
export function throwawayEngine(dir: string, opts: { addressPool: string; bridgeCidr: string }): ThrowawayEngine {
  const socket = join(dir, 'docker.sock');
  const bridge = `aeth${randomBytes(4).toString('hex')}`;
  const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });
  const made = ip('link', 'add', bridge, 'type', 'bridge');
  if (made.status !== 0) throw new Error(`ip link add ${bridge} failed: ${made.stderr}`);
  ip('addr', 'add', opts.bridgeCidr, 'dev', bridge);
  ip('link', 'set', bridge, 'up');
  const configFile = join(dir, 'daemon.json');
  // Its own (empty) daemon.json: the host's settings (hosts, data root) are not this engine's.
  writeFileSync(configFile, '{}\n');
  let proc: ChildProcess | null = null;
  const docker = (...args: string[]) => spawnSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8', timeout: 120_000 });
  const exited = (p: ChildProcess) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => p.once('exit', () => resolve())));
  const log = () => {
    try {
      return readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  };

  const engine: ThrowawayEngine = {
    socket,
    running: () => proc !== null && proc.exitCode === null && proc.signalCode === null,
    async start() {
      if (engine.running()) return;
      const out = openSync(join(dir, 'dockerd.log'), 'a');
      const args = [
        `--config-file=${configFile}`,
        `--data-root=${join(dir, 'data')}`,
        `--exec-root=${join(dir, 'exec')}`,
        `--pidfile=${join(dir, 'dockerd.pid')}`,
        `--host=unix://${socket}`,
        `--bridge=${bridge}`,
        '--iptables=false',
        '--ip6tables=false',
        '--ip-masq=false',
        `--default-address-pool=base=${opts.addressPool},size=24`,
        '--live-restore',
      ];
      const started = spawn('dockerd', args, { stdio: ['ignore', out, out] });
      closeSync(out);
      proc = started;
      const until = Date.now() + 90_000;
      while (docker('info', '--format', '{{.ServerVersion}}').status !== 0) {
        if (!engine.running()) throw new Error(`the second dockerd exited while starting:\n${log()}`);
        if (Date.now() > until) throw new Error(`the second dockerd did not answer within 90 s:\n${log()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async kill() {
      if (!proc || !engine.running()) return;
      proc.kill('SIGKILL');
      await exited(proc);
    },
    docker,
    async close() {
      // A killed engine is started again so that its containers (alive under live-restore) are removed through it.
      if (!engine.running() && existsSync(join(dir, 'data'))) await engine.start().catch(() => undefined);
      if (engine.running()) {
        const ids = docker('ps', '-aq').stdout.split('\n').filter(Boolean);
        if (ids.length) docker('rm', '-f', ...ids);
        docker('network', 'prune', '-f');
        proc!.kill('SIGTERM');
        const stopped = await Promise.race([exited(proc!).then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 30_000))]);
        if (!stopped) {
          proc!.kill('SIGKILL');
          await exited(proc!);
        }
      }
      // The containerd dockerd started for itself, if it outlived dockerd.
      const containerdPid = Number(readFileSyncOr(join(dir, 'exec', 'containerd', 'containerd.pid')));
      if (Number.isInteger(containerdPid) && containerdPid > 0) {
        try {
          process.kill(containerdPid, 'SIGTERM');
        } catch {
          // Gone already.
        }
      }
      // dockerd makes its data root a mount of its own; one that a killed daemon left behind is undone here.
      const mounts = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m === dir || m.startsWith(`${dir}/`))
        .reverse();
      for (const m of mounts) spawnSync('umount', ['-l', m]);
      ip('link', 'del', bridge);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return engine;
}

function readFileSyncOr(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Copies an image of the usual engine into another one (it has no registry to pull from). */
export function copyImage(image: string, to: ThrowawayEngine, dir: string): void {
  const tar = join(dir, 'image.tar');
  const saved = spawnSync('docker', ['save', '-o', tar, image], { encoding: 'utf8' });
  if (saved.status !== 0) throw new Error(`docker save ${image}: ${saved.stderr}`);
  const loaded = to.docker('load', '-i', tar);
  rmSync(tar, { force: true });
  if (loaded.status !== 0) throw new Error(`docker load ${image}: ${loaded.stderr}`);
}

/** A CA, and certificates it signs for `cn` (a server's with IP 127.0.0.1). */
export function makeCa(dir: string, name: string): { ca: string; issue(cn: string, server: boolean): { cert: string; key: string } } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const caKey = join(dir, `${name}-ca.key`);
  const caCert = join(dir, `${name}-ca.pem`);
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name} CA`, '-keyout', caKey, '-out', caCert);
  return {
    ca: readFileSync(caCert, 'utf8'),
    issue(cn, server) {
      const key = join(dir, `${name}-${cn}.key`);
      const csr = join(dir, `${name}-${cn}.csr`);
      const cert = join(dir, `${name}-${cn}.pem`);
      const ext = join(dir, `${name}-${cn}.ext`);
      writeFileSync(ext, server ? 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n');
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${cn}`, '-keyout', key, '-out', csr);
      openssl('x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-days', '1', '-extfile', ext, '-out', cert);
      return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
    },
  };
}

/**
 * An engine's TLS endpoint on 127.0.0.1, as dockerd --tlsverify makes one: only clients with a certificate of its CA get
 * through to the engine's socket. Resolves with its port and a close that also ends the connections through it.
 */
export async function tlsEngineEndpoint(socketPath: string, tls: { ca: string; cert: string; key: string }): Promise<{ port: number; close(): void }> {
  const open = new Set<Socket>();
  const server = createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true }, (socket) => {
    const engine = connect(socketPath);
    for (const s of [socket, engine]) {
      open.add(s);
      s.on('close', () => open.delete(s));
    }
    socket.pipe(engine).pipe(socket);
    // Either side gone ends the other (an events stream the panel closes must not stay open to the engine, and an
    // engine that is gone must not leave the panel waiting).
    socket.on('close', () => engine.destroy());
    engine.on('close', () => socket.destroy());
    socket.on('error', () => engine.destroy());
    engine.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.close();
      for (const s of open) s.destroy();
    },
  };
}

/**
 * A Unix socket that forwards to the local Docker Engine until cut, and again once restored (a panel on it sees its
 * engine go away and come back while other tests keep theirs). It can also withhold the event
 * stream alone (the panel's follow of container events), while every other call goes through.
 */
export function engineLink(path: string) {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  const eventStreams = new Set<Socket>();
  let eventsWithheld = false;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      // Already up: nothing to do (a second listener would leave the first one open for ever).
      if (server) return resolve();
      rmSync(path, { force: true });
      server = createServer((client) => {
        const engine = connect(DOCKER_SOCKET);
        for (const s of [client, engine]) {
          sockets.add(s);
          s.on('close', () => {
            sockets.delete(s);
            eventStreams.delete(s);
          });
          s.on('error', () => {
            client.destroy();
            engine.destroy();
          });
        }
        // A kept-alive connection carries one request after another: each is looked at.
        client.on('data', (chunk: Buffer) => {
          if (/(^|\r\n)GET [^ ]*\/events[? ]/.test(chunk.toString('latin1'))) {
            if (eventsWithheld) {
              client.destroy();
              engine.destroy();
              return;
            }
            eventStreams.add(client);
          }
          engine.write(chunk);
        });
        engine.pipe(client);
      });
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  /** Cuts the event streams now open and refuses new ones until allowed again. */
  const withholdEvents = () => {
    eventsWithheld = true;
    for (const s of eventStreams) s.destroy();
  };
  const allowEvents = () => {
    eventsWithheld = false;
  };
  return { up, down, withholdEvents, allowEvents };
}

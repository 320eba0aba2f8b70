// Alerts: detections per second through the whole pipeline (rule -> stored detection -> deduplicated alert -> outbox),
// against the same detections stored without alerting; and the time from a detection to the SMTP server holding the
// mail, against nodemailer sending the same mail straight to that server. All in one run, on one machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { systemCaller } from '../src/auth/caller.ts';
import { loadConfig } from '../src/config/index.ts';
import { createPanel, type Panel } from '../src/panel.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { startMailServer, type MailServer } from '../test/helpers/mail-server.ts';

export const ALERTS_BENCH = {
  /** Detections fed per pipeline run. */
  detections: 5000,
  /** Runs per pipeline, alternating; the median is reported. */
  rounds: 3,
  /** Sequential detection-to-mail measurements (and as many direct sends). */
  latencySamples: 40,
};

export type AlertsBenchResult = {
  pipeline: { detections: number; storedOnlyPerSecond: number; toAlertsPerSecond: number; ratio: number; rounds: { storedOnly: number[]; toAlerts: number[] }; alertsStored: number };
  latency: { samples: number; panelMedianMs: number; panelP95Ms: number; directMedianMs: number; directP95Ms: number; ratio: number };
};

const rule = (actions: string) => `rules:
  - id: bench-detection
    title: Bench detection
    kind: threshold
    match: { event: bench.event }
    key: ip
    threshold: 1
    window: 1m
    severity: high
    ${actions}
`;

async function panelWith(rules: string): Promise<{ panel: Panel; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'aether-bench-alerts-'));
  writeFileSync(join(dir, 'bench.yml'), rules);
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({ logLevel: 'silent', http: { host: '127.0.0.1', port: 0 }, monitor: { rulesDir: dir }, resources: { enabled: false }, alerts: { pollSeconds: 0.2 } }),
  );
  const panel = await createPanel({ config: loadConfig({ path: configPath, env: {} }), logger: silentLogger() });
  return { panel, dir };
}

async function addMailChannel(panel: Panel, port: number, max: number): Promise<void> {
  await panel.services.channels.create(systemCaller('bench'), {
    type: 'email',
    name: 'bench-mail',
    enabled: true,
    config: { host: '127.0.0.1', port, secure: false, starttls: 'off', from: 'panel@example.test', to: ['oncall@example.test'] },
    minSeverity: 'medium',
    sources: null,
    sendOnResolve: false,
    rateLimit: { max, windowSeconds: 600 },
    allowPrivateNetwork: false,
  });
}

let seq = 0;
/** An event from a new address each time (10.0.0.1, 10.0.0.2, ...), so each one is a detection of its own. */
const event = (n: number) => ({ ts: Date.now(), source: 'bench', event: 'bench.event', ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, user: null, service: 'bench', http: null, fields: null });

/** Feeds `n` detections (distinct addresses) and waits until each is stored and acted on; returns detections per second. */
async function pipeline(panel: Panel, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i += 1) panel.services.monitor.feed(event((seq += 1)));
  await panel.services.monitor.settled();
  return Math.round(n / ((performance.now() - start) / 1000));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runAlertsBench(): Promise<AlertsBenchResult> {
  let onMail: (() => void) | null = null;
  const mail: MailServer = await startMailServer(0, () => onMail?.());
  // The baseline stores the same detections without alerting (a simulated ban stands in for the alert action).
  const stored = await panelWith(rule('actions: [ban]\n    simulate: true'));
  const full = await panelWith(rule('actions: [alert]'));
  try {
    // A channel on the full panel, so every alert also goes through routing, the rate limit and the outbox (past
    // 10 messages, into the digest).
    await addMailChannel(full.panel, mail.port, 10);
    await pipeline(stored.panel, 200);
    await pipeline(full.panel, 200);
    const rounds = { storedOnly: [] as number[], toAlerts: [] as number[] };
    for (let r = 0; r < ALERTS_BENCH.rounds; r += 1) {
      rounds.storedOnly.push(await pipeline(stored.panel, ALERTS_BENCH.detections));
      rounds.toAlerts.push(await pipeline(full.panel, ALERTS_BENCH.detections));
    }
    const alertsStored = Number(((await full.panel.db('alerts').count({ n: '*' }).first()) as { n: number | string }).n);
    await full.panel.stop();
    await stored.panel.stop();

    // Latency: a fresh panel whose channel is never rate-limited here.
    const latencyPanel = await panelWith(rule('actions: [alert]'));
    const direct = nodemailer.createTransport({ host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true });
    try {
      await addMailChannel(latencyPanel.panel, mail.port, 1000);
      const received = () => new Promise<void>((resolve) => (onMail = resolve));
      const panelMs: number[] = [];
      const directMs: number[] = [];
      for (let i = 0; i < ALERTS_BENCH.latencySamples + 2; i += 1) {
        let got = received();
        let t0 = performance.now();
        latencyPanel.panel.services.monitor.feed(event((seq += 1)));
        await got;
        const viaPanel = performance.now() - t0;
        got = received();
        t0 = performance.now();
        await direct.sendMail({ from: 'panel@example.test', to: 'oncall@example.test', subject: '[Aether] [HIGH] Bench detection: direct', text: 'The same size of message, sent straight to the server.' });
        await got;
        const straight = performance.now() - t0;
        // The first two of each are warm-up (connections, JIT).
        if (i >= 2) {
          panelMs.push(viaPanel);
          directMs.push(straight);
        }
      }
      const pm = median(panelMs);
      const dm = median(directMs);
      return {
        pipeline: {
          detections: ALERTS_BENCH.detections,
          storedOnlyPerSecond: median(rounds.storedOnly),
          toAlertsPerSecond: median(rounds.toAlerts),
          ratio: Math.floor((median(rounds.toAlerts) / median(rounds.storedOnly)) * 1000) / 1000,
          rounds,
          alertsStored,
        },
        latency: { samples: panelMs.length, panelMedianMs: round1(pm), panelP95Ms: round1(p95(panelMs)), directMedianMs: round1(dm), directP95Ms: round1(p95(directMs)), ratio: Math.round((pm / dm) * 100) / 100 },
      };
    } finally {
      direct.close();
      await latencyPanel.panel.stop();
      rmSync(latencyPanel.dir, { recursive: true, force: true });
    }
  } finally {
    onMail = null;
    await mail.close();
    rmSync(stored.dir, { recursive: true, force: true });
    rmSync(full.dir, { recursive: true, force: true });
  }
}

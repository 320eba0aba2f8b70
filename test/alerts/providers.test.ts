// Notification channel providers against real receivers: an HTTP server for webhook/Discord/Slack, smtp-server for e-mail, and the SSRF guard.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AlertSummary } from '../../src/alerts/alerts.types.ts';
import { DISCORD_LIMITS, discordPayload } from '../../src/alerts/providers/discord/discord.payload.ts';
import { discordProvider } from '../../src/alerts/providers/discord/discord.provider.ts';
import { emailConfigSchema, type EmailConfig } from '../../src/alerts/providers/email/email.config.ts';
import { emailProvider } from '../../src/alerts/providers/email/email.provider.ts';
import { addressRefusal, checkTarget, guardedLookup, MAX_ANSWER_BYTES, postJson } from '../../src/alerts/providers/net-guard.ts';
import { DeliveryError, type NotificationMessage, type SendContext } from '../../src/alerts/providers/provider.ts';
import { getProvider, providers, providerTypes } from '../../src/alerts/providers/registry.ts';
import { SLACK_LIMITS } from '../../src/alerts/providers/slack/slack.payload.ts';
import { slackProvider } from '../../src/alerts/providers/slack/slack.provider.ts';
import { webhookConfigSchema, webhookProvider } from '../../src/alerts/providers/webhook/webhook.provider.ts';
import { needs } from '../helpers/require-component.ts';

const PRIVATE_OK: SendContext = { timeoutMs: 5000, allowPrivateNetwork: true };
const PUBLIC_ONLY: SendContext = { timeoutMs: 5000, allowPrivateNetwork: false };
const SECRET = 'webhook-signing-secret-0123456789';

function alert(over: Partial<AlertSummary> = {}): AlertSummary {
  return {
    id: 7,
    severity: 'high',
    status: 'open',
    source: 'security',
    title: 'Panel login brute force from 203.0.113.7',
    summary: '10 failed logins for admin within 5 minutes',
    ip: '203.0.113.7',
    user: 'admin',
    count: 10,
    firstSeen: '2025-01-01T11:55:00.000Z',
    lastSeen: '2025-01-01T12:00:00.000Z',
    url: 'https://panel.example.com/alerts/7',
    ...over,
  };
}

function message(over: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    id: 'ntf-0001',
    kind: 'alert',
    subject: 'Panel login brute force from 203.0.113.7',
    text: 'Severity: high\n10 failed logins for admin within 5 minutes.',
    severity: 'high',
    alerts: [alert()],
    total: 1,
    url: 'https://panel.example.com/alerts/7',
    createdAt: '2025-01-01T12:00:00.000Z',
    ...over,
  };
}

/** Runs fn, which must throw a DeliveryError, and returns it. */
async function deliveryError(fn: () => Promise<unknown>): Promise<DeliveryError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof DeliveryError, `expected a DeliveryError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a DeliveryError, the call succeeded');
}

// ---- a real HTTP receiver ----------------------------------------------------------------------------------------

type Received = { method: string; path: string; headers: http.IncomingHttpHeaders; body: Buffer };
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

async function receiver(handler: Handler = (_req, res) => res.writeHead(204).end(), host = '127.0.0.1') {
  const requests: Received[] = [];
  const connections = { count: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', () => {
    connections.count += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connections,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- the SSRF guard ----------------------------------------------------------------------------------------------

describe('net guard: which addresses a channel may reach', () => {
  const refused: Array<[string, RegExp]> = [
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['::1', /loopback/],
    ['10.0.0.1', /private/],
    ['172.16.5.4', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique-local/],
    ['fd12:3456::1', /unique-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['ff02::1', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['240.0.0.1', /reserved/],
    ['192.0.2.10', /reserved/],
    ['::ffff:127.0.0.1', /loopback address \(IPv4-mapped\)/],
    ['::ffff:10.1.2.3', /private address \(IPv4-mapped\)/],
    ['::ffff:169.254.169.254', /link-local address \(IPv4-mapped\)/],
    ['::7f00:1', /not a global unicast/],
    ['64:ff9b::7f00:1', /not public/],
  ];
  for (const [ip, reason] of refused) test(`${ip} is refused: ${reason.source}`, () => assert.match(addressRefusal(ip) ?? 'allowed', reason));

  for (const ip of ['8.8.8.8', '203.0.114.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
    test(`${ip} is a public unicast address`, () => assert.equal(addressRefusal(ip), null));
  }

  test('literal addresses and localhost names are refused before connecting, allowed with allowPrivateNetwork', () => {
    for (const url of ['http://10.0.0.1/', 'http://192.168.1.1/x', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://localhost/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://2130706433/', 'http://0x7f.1/']) {
      assert.throws(() => checkTarget(url, false), (err: unknown) => err instanceof DeliveryError && err.permanent && /set allowPrivateNetwork to allow it/.test(err.message), url);
      assert.doesNotThrow(() => checkTarget(url, true), url);
    }
    assert.doesNotThrow(() => checkTarget('https://203.0.114.1/hook', false));
  });

  test('non-http schemes and URLs with credentials are refused whatever allowPrivateNetwork says', () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'data:text/plain,x', 'not a url']) {
      assert.throws(() => checkTarget(url, true), (err: unknown) => err instanceof DeliveryError && err.permanent, url);
    }
    assert.throws(
      () => checkTarget('https://user:hunter2-pass@example.com/hook', true),
      (err: unknown) => err instanceof DeliveryError && err.permanent && /user name or password/.test(err.message) && !err.message.includes('hunter2'),
    );
    assert.equal(webhookConfigSchema.safeParse({ url: 'ftp://example.com/', secret: SECRET }).success, false);
    assert.equal(discordProvider.configSchema.safeParse({ url: 'https://u:p@discord.com/api/webhooks/1/x' }).success, false);
  });

  test('the lookup refuses a name when a resolved address is not public, and hands over the checked addresses otherwise', async () => {
    const run = (allow: boolean, all: boolean) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => guardedLookup(allow)('localhost', { all }, (err, address) => resolve({ err, address })));
    for (const all of [true, false]) {
      const refusedRun = await run(false, all);
      assert.ok(refusedRun.err instanceof DeliveryError && refusedRun.err.permanent, `all=${all}`);
      assert.match(refusedRun.err.message, /^refusing localhost \(resolves to [0-9a-f.:]+\): loopback address; set allowPrivateNetwork to allow it$/);
      const allowed = await run(true, all);
      assert.equal(allowed.err, null);
      const first = Array.isArray(allowed.address) ? (allowed.address[0] as { address: string }).address : allowed.address;
      assert.match(String(first), /^(127\.|::1$)/);
    }
  });

  describe('end to end, nothing reaches the receiver', () => {
    let rx: Awaited<ReturnType<typeof receiver>>;
    before(async () => {
      rx = await receiver();
    });
    after(() => rx.close());

    // A name from /etc/hosts that resolves to loopback and is not caught by the localhost rule, so the refusal comes from
    // the lookup (the check on resolved addresses); "localhost." when there is none.
    const hostsName = (() => {
      for (const line of readFileSync('/etc/hosts', 'utf8').split('\n')) {
        const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
        if (!ip || !/^(127\.|::1$)/.test(ip)) continue;
        const name = names.find((n) => /^[a-z0-9.-]+$/i.test(n) && !/(^|\.)localhost\.?$/i.test(n) && !n.includes(':'));
        if (name) return name;
      }
      return 'localhost.';
    })();

    const targets = (port: number): string[] => [
      `http://127.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://localhost.:${port}/hook`,
      `http://${hostsName}:${port}/hook`,
      `http://0.0.0.0:${port}/hook`,
      `http://2130706433:${port}/hook`,
    ];

    test('loopback in every spelling is refused for the webhook, Discord and Slack providers', async () => {
      for (const url of targets(rx.port)) {
        for (const [provider, config] of [
          [webhookProvider, { url, secret: SECRET, timeoutSeconds: 5 }],
          [discordProvider, { url }],
          [slackProvider, { url }],
        ] as const) {
          const err = await deliveryError(() => provider.send(config as never, message(), PUBLIC_ONLY));
          assert.equal(err.permanent, true, `${provider.type} ${url}`);
          assert.match(err.message, /^refusing .+: .+; set allowPrivateNetwork to allow it$/, `${provider.type} ${url}`);
          assert.ok(!err.message.includes('/hook'), 'the path is never in the message');
        }
      }
      assert.equal(rx.connections.count, 0, 'no connection reached the receiver');
    });

    test(`a name that resolves to loopback (${hostsName}) is refused by the check on its resolved addresses`, async () => {
      const err = await deliveryError(() => postJson(`http://${hostsName}:${rx.port}/hook`, '{}', {}, PUBLIC_ONLY));
      assert.equal(err.permanent, true);
      assert.match(err.message, /loopback/);
      assert.equal(rx.connections.count, 0);
    });

    test('with allowPrivateNetwork the same targets are reached', async () => {
      const v6 = await receiver(undefined, '::1');
      try {
        for (const url of [`http://127.0.0.1:${rx.port}/a`, `http://localhost:${rx.port}/b`, `http://[::ffff:127.0.0.1]:${rx.port}/c`, `http://${hostsName}:${rx.port}/d`]) {
          await webhookProvider.send({ url, secret: SECRET, timeoutSeconds: 5 }, message(), PRIVATE_OK);
        }
        await webhookProvider.send({ url: `${v6.url}/e`, secret: SECRET, timeoutSeconds: 5 }, message(), PRIVATE_OK);
        assert.deepEqual(rx.requests.map((r) => r.path), ['/a', '/b', '/c', '/d']);
        assert.deepEqual(v6.requests.map((r) => r.path), ['/e']);
        rx.requests.length = 0;
      } finally {
        await v6.close();
      }
    });
  });
});

// ---- postJson: status codes, redirects, timeouts, big answers -------------------------------------------------

describe('postJson against a real receiver', () => {
  test('2xx is accepted; 408, 429 and 5xx may be retried; other 4xx are refused for good', async () => {
    const cases: Array<[number, boolean | 'ok']> = [
      [200, 'ok'],
      [204, 'ok'],
      [400, true],
      [401, true],
      [404, true],
      [410, true],
      [408, false],
      [429, false],
      [500, false],
      [503, false],
    ];
    for (const [status, expected] of cases) {
      const rx = await receiver((_req, res) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status >= 400 ? 'no_service\r\ninvalid' : ''));
      try {
        if (expected === 'ok') {
          assert.equal((await postJson(`${rx.url}/hook`, '{}', {}, PRIVATE_OK)).status, status);
        } else {
          const err = await deliveryError(() => postJson(`${rx.url}/hook`, '{}', {}, PRIVATE_OK));
          assert.equal(err.permanent, expected, `status ${status}`);
          assert.match(err.message, new RegExp(`^127\\.0\\.0\\.1:\\d+ answered ${status}: no_service invalid$`));
        }
      } finally {
        await rx.close();
      }
    }
  });

  test('a 302 is a permanent failure and its target is never requested', async () => {
    const rx = await receiver((req, res) => {
      if (req.url === '/hook') res.writeHead(302, { Location: '/moved' }).end();
      else res.writeHead(204).end();
    });
    try {
      const err = await deliveryError(() => postJson(`${rx.url}/hook`, '{}', {}, PRIVATE_OK));
      assert.equal(err.permanent, true);
      assert.match(err.message, /answered 302 .*redirects are not followed/);
      assert.deepEqual(rx.requests.map((r) => r.path), ['/hook']);
    } finally {
      await rx.close();
    }
  });

  test('a receiver that never answers is a retryable failure once the timeout passes', async () => {
    const rx = await receiver(() => {});
    try {
      const err = await deliveryError(() => webhookProvider.send({ url: `${rx.url}/hook`, secret: SECRET, timeoutSeconds: 5 }, message(), { timeoutMs: 300, allowPrivateNetwork: true }));
      assert.equal(err.permanent, false);
      assert.match(err.message, /did not answer within 300 ms/);
      assert.equal(rx.requests.length, 1);
    } finally {
      await rx.close();
    }
  });

  test('a receiver that is down is a retryable failure', async () => {
    const port = await freePort();
    const err = await deliveryError(() => postJson(`http://127.0.0.1:${port}/hook`, '{}', {}, PRIVATE_OK));
    assert.equal(err.permanent, false);
    assert.match(err.message, /ECONNREFUSED/);
  });

  test('a 10 MB answer is read only up to the limit, on success and on failure', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 'x');
    for (const status of [200, 500]) {
      const rx = await receiver((_req, res) => res.writeHead(status, { 'Content-Length': big.length }).end(big));
      try {
        if (status === 200) {
          const answer = await postJson(`${rx.url}/hook`, '{}', {}, PRIVATE_OK);
          assert.equal(answer.status, 200);
          assert.ok(answer.body.length <= MAX_ANSWER_BYTES, `kept ${answer.body.length} bytes`);
        } else {
          const err = await deliveryError(() => postJson(`${rx.url}/hook`, '{}', {}, PRIVATE_OK));
          assert.equal(err.permanent, false);
          assert.ok(err.message.length < 400, 'the error quotes only an excerpt');
        }
      } finally {
        await rx.close();
      }
    }
  });

  test('error messages name the host, never the path or query that carry tokens', async () => {
    const rx = await receiver((_req, res) => res.writeHead(500).end());
    try {
      const err = await deliveryError(() => slackProvider.send({ url: `${rx.url}/services/T000/B000/SECRETTOKEN?token=qwerty` }, message(), PRIVATE_OK));
      assert.match(err.message, /^127\.0\.0\.1:\d+ answered 500$/);
      const port = await freePort();
      const down = await deliveryError(() => slackProvider.send({ url: `http://127.0.0.1:${port}/services/SECRETTOKEN` }, message(), PRIVATE_OK));
      assert.ok(!down.message.includes('SECRETTOKEN') && !err.message.includes('qwerty'), down.message);
    } finally {
      await rx.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- webhook -----------------------------------------------------------------------------------------------------

describe('webhook provider', () => {
  test('posts the JSON body, signed with HMAC-SHA256 over the raw bytes, with the delivery id and extra headers', async () => {
    const rx = await receiver();
    try {
      const msg = message({ id: 'ntf-42', text: 'Ünïcode ✓ and "quotes" & <tags>' });
      await webhookProvider.send({ url: `${rx.url}/hook?x=1`, secret: SECRET, headers: { 'X-Team': 'ops' }, timeoutSeconds: 5 }, msg, PRIVATE_OK);
      const [req] = rx.requests;
      assert.ok(req);
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/hook?x=1');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['user-agent'], 'AetherPanel-Alerts');
      assert.equal(req.headers['x-aether-delivery'], 'ntf-42');
      assert.equal(req.headers['x-team'], 'ops');
      const expected = `sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`;
      assert.equal(req.headers['x-aether-signature'], expected);
      assert.notEqual(req.headers['x-aether-signature'], `sha256=${createHmac('sha256', 'another-secret-0123456').update(req.body).digest('hex')}`);
      const body = JSON.parse(req.body.toString('utf8'));
      assert.deepEqual(Object.keys(body).sort(), ['alerts', 'createdAt', 'id', 'kind', 'severity', 'subject', 'text', 'total', 'url']);
      assert.deepEqual(body, { id: msg.id, kind: msg.kind, subject: msg.subject, text: msg.text, severity: msg.severity, total: msg.total, url: msg.url, createdAt: msg.createdAt, alerts: msg.alerts });
    } finally {
      await rx.close();
    }
  });

  test('config: secrets of at least 16 characters, no reserved or malformed headers, unknown keys refused', () => {
    const base = { url: 'https://hooks.example.com/aether', secret: SECRET };
    const cases: Array<[string, unknown, boolean]> = [
      ['minimal', base, true],
      ['short secret', { ...base, secret: 'short' }, false],
      ['unknown key', { ...base, allowPrivateNetwork: true }, false],
      ['Host header', { ...base, headers: { Host: 'internal' } }, false],
      ['Content-Length header', { ...base, headers: { 'content-length': '1' } }, false],
      ['X-Aether-* header', { ...base, headers: { 'X-Aether-Signature': 'sha256=00' } }, false],
      ['header value with CR/LF', { ...base, headers: { 'X-Team': 'ops\r\nX-Injected: 1' } }, false],
      ['header name with a space', { ...base, headers: { 'X Team': 'ops' } }, false],
      ['timeout too long', { ...base, timeoutSeconds: 61 }, false],
      ['extra header', { ...base, headers: { 'X-Team': 'ops' }, timeoutSeconds: 30 }, true],
    ];
    for (const [name, config, ok] of cases) assert.equal(webhookConfigSchema.safeParse(config).success, ok, name);
    assert.equal(webhookConfigSchema.parse(base).timeoutSeconds, 10, 'default timeout');
  });
});

// ---- Discord and Slack ---------------------------------------------------------------------------------------------

const HUGE = 'x'.repeat(4000) + '*_[link](https://evil.example)`<@&123>'.repeat(100) + '😀'.repeat(2000);
const hugeAlert = (id: number) => alert({ id, title: HUGE.slice(0, 10_000), summary: HUGE, user: HUGE.slice(0, 300) });
const hugeMessages = (): NotificationMessage[] => [
  message({ subject: HUGE, text: HUGE, alerts: [hugeAlert(1)] }),
  message({ kind: 'digest', subject: HUGE, text: HUGE, alerts: Array.from({ length: 50 }, (_, i) => hugeAlert(i)), total: 180 }),
];
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('discord provider', () => {
  test('posts one embed: title, escaped description, colour by severity, no mentions', async () => {
    const rx = await receiver();
    try {
      await discordProvider.send({ url: `${rx.url}/api/webhooks/1/token` }, message({ text: 'see [here](https://evil.example) @everyone' }), PRIVATE_OK);
      const body = JSON.parse(rx.requests[0]!.body.toString('utf8'));
      assert.equal(body.username, 'Aether Panel');
      assert.deepEqual(body.allowed_mentions, { parse: [] });
      const [embed] = body.embeds;
      assert.equal(embed.title, 'Panel login brute force from 203.0.113.7');
      assert.equal(embed.description, 'see \\[here\\]\\(https://evil.example\\) @everyone');
      assert.equal(embed.color, 0xe67e22);
      assert.equal(embed.url, 'https://panel.example.com/alerts/7');
      assert.equal(embed.timestamp, '2025-01-01T12:00:00.000Z');
      assert.match(embed.fields[0].name, /^HIGH · Panel login brute force/);
    } finally {
      await rx.close();
    }
  });

  test("10,000-character titles and summaries stay within Discord's limits", async () => {
    const rx = await receiver();
    try {
      for (const msg of hugeMessages()) await discordProvider.send({ url: `${rx.url}/api/webhooks/1/token` }, msg, PRIVATE_OK);
      for (const req of rx.requests) {
        const raw = req.body.toString('utf8');
        assert.ok(!LONE_SURROGATE.test(raw) && !raw.includes('\\ud'), 'no emoji cut in half');
        const [embed] = JSON.parse(raw).embeds;
        const fields = embed.fields as Array<{ name: string; value: string }>;
        assert.ok(embed.title.length <= DISCORD_LIMITS.title);
        assert.ok((embed.description ?? '').length <= DISCORD_LIMITS.description);
        assert.ok(fields.length <= DISCORD_LIMITS.fields);
        for (const f of fields) assert.ok(f.name.length <= DISCORD_LIMITS.fieldName && f.value.length <= DISCORD_LIMITS.fieldValue && f.value.length > 0);
        const total = embed.title.length + (embed.description ?? '').length + embed.footer.text.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
        assert.ok(total <= DISCORD_LIMITS.total, `embed total ${total}`);
      }
      const digest = discordPayload(hugeMessages()[1]!).embeds[0];
      assert.match(digest.fields.at(-1)!.value, /^\d+ more alerts in the panel$/);
    } finally {
      await rx.close();
    }
  });
});

describe('slack provider', () => {
  test('posts Block Kit with &, < and > escaped in user text', async () => {
    const rx = await receiver();
    try {
      await slackProvider.send({ url: `${rx.url}/services/T/B/X` }, message({ text: '<!channel> R&D <https://evil.example|click>', alerts: [alert({ title: 'a <b> & c' })] }), PRIVATE_OK);
      const body = JSON.parse(rx.requests[0]!.body.toString('utf8'));
      assert.equal(body.text, 'Panel login brute force from 203.0.113.7');
      assert.equal(body.blocks[0].type, 'header');
      assert.equal(body.blocks[0].text.type, 'plain_text');
      assert.equal(body.blocks[1].text.text, '&lt;!channel&gt; R&amp;D &lt;https://evil.example|click&gt;');
      assert.match(body.blocks[2].text.text, /^\*HIGH\* a &lt;b&gt; &amp; c\n/);
      assert.ok(body.blocks.some((b: { text?: { text: string } }) => b.text?.text === '<https://panel.example.com/alerts/7|Open in Aether Panel>'));
      assert.ok(!JSON.stringify(body).includes('<!channel>'));
    } finally {
      await rx.close();
    }
  });

  test("10,000-character titles and summaries stay within Slack's limits", async () => {
    const rx = await receiver();
    try {
      for (const msg of hugeMessages()) await slackProvider.send({ url: `${rx.url}/services/T/B/X` }, msg, PRIVATE_OK);
      for (const req of rx.requests) {
        const raw = req.body.toString('utf8');
        assert.ok(!LONE_SURROGATE.test(raw) && !raw.includes('\\ud'), 'no emoji cut in half');
        const body = JSON.parse(raw) as { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
        assert.ok(body.text.length <= SLACK_LIMITS.text);
        assert.ok(body.blocks.length <= SLACK_LIMITS.blocks);
        for (const block of body.blocks) {
          if (block.type === 'header') assert.ok(block.text!.text.length <= SLACK_LIMITS.header);
          if (block.type === 'section') assert.ok(block.text!.text.length <= SLACK_LIMITS.section && block.text!.text.length > 0);
          for (const el of block.elements ?? []) assert.ok(el.text.length <= SLACK_LIMITS.section);
        }
        assert.ok(!/&[a-z]*…/.test(raw), 'no entity cut in half');
      }
    } finally {
      await rx.close();
    }
  });
});

// ---- e-mail against a real SMTP server -------------------------------------------------------------------------------

type Mail = { from: string; to: string[]; raw: string; secure: boolean; user: unknown };

async function smtp(options: SMTPServerOptions = {}) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    ...options,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        mails.push({ from: mailFrom ? mailFrom.address : '', to: rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString('utf8'), secure: session.secure, user: session.user });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The value of one header of a raw message (unfolded), and how many times the header occurs. */
function header(raw: string, name: string): { value: string | undefined; count: number } {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const lines = head.split(/\r?\n/).filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return { value: lines[0]?.slice(name.length + 1).trim(), count: lines.length };
}

/** The TLS tests make their server certificate with the openssl command. */
const OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const needsOpenssl = (t: TestContext) => needs(t, 'openssl', OPENSSL, 'not found: apt-get install openssl (it makes the test certificate)');

describe('email provider', () => {
  let dir: string;
  let key: string;
  let cert: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'aether-smtp-'));
    if (!OPENSSL) return;
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const config = (port: number, over: Partial<EmailConfig> = {}): EmailConfig =>
    emailConfigSchema.parse({ host: '127.0.0.1', port, from: 'alerts@panel.example.com', to: ['ops@example.com', 'oncall@example.com'], timeoutSeconds: 10, ...over });

  test('STARTTLS required, private CA trusted: the mail arrives with subject, bodies, recipients and a stable Message-ID', async (t) => {
    if (!needsOpenssl(t)) return;
    const server = await smtp({ key, cert });
    try {
      const cfg = config(server.port, { ca: cert });
      const msg = message({ id: 'ntf-77', text: 'Severity: high\n10 failed logins for <admin> & co.' });
      await emailProvider.send(cfg, msg, PRIVATE_OK);
      await emailProvider.send(cfg, msg, PRIVATE_OK);
      const [first, retry] = server.mails;
      assert.ok(first && retry);
      assert.equal(first.secure, true, 'upgraded to TLS');
      assert.equal(first.from, 'alerts@panel.example.com');
      assert.deepEqual(first.to, ['ops@example.com', 'oncall@example.com']);
      assert.equal(header(first.raw, 'Subject').value, '[Aether] Panel login brute force from 203.0.113.7');
      assert.equal(header(first.raw, 'X-Aether-Delivery').value, 'ntf-77');
      assert.equal(header(first.raw, 'Message-ID').value, '<ntf-77@panel.example.com>');
      assert.equal(header(retry.raw, 'Message-ID').value, '<ntf-77@panel.example.com>', 'a retry keeps the Message-ID');
      assert.match(header(first.raw, 'From').value ?? '', /Aether Panel <alerts@panel\.example\.com>/);
      assert.match(first.raw, /Content-Type: multipart\/alternative/);
      assert.ok(first.raw.includes('10 failed logins for <admin> & co.'), 'text part');
      assert.ok(first.raw.includes('10 failed logins for &lt;admin&gt; &amp; co.'), 'HTML part, escaped');
    } finally {
      await server.close();
    }
  });

  test('STARTTLS against an untrusted certificate fails for good without the ca option', async (t) => {
    if (!needsOpenssl(t)) return;
    const server = await smtp({ key, cert });
    try {
      const err = await deliveryError(() => emailProvider.send(config(server.port), message(), PRIVATE_OK));
      assert.equal(err.permanent, true);
      assert.match(err.message, /TLS with SMTP server 127\.0\.0\.1:\d+ failed: .*ca option/);
      assert.equal(server.mails.length, 0);
    } finally {
      await server.close();
    }
  });

  test("starttls 'required' against a server without STARTTLS fails; 'off' and 'opportunistic' send in plain text", async () => {
    const server = await smtp({ disabledCommands: ['STARTTLS'] });
    try {
      const err = await deliveryError(() => emailProvider.send(config(server.port), message(), PRIVATE_OK));
      assert.equal(err.permanent, true);
      assert.equal(server.mails.length, 0);
      await emailProvider.send(config(server.port, { starttls: 'off' }), message(), PRIVATE_OK);
      await emailProvider.send(config(server.port, { starttls: 'opportunistic' }), message(), PRIVATE_OK);
      assert.deepEqual(server.mails.map((m) => m.secure), [false, false]);
    } finally {
      await server.close();
    }
  });

  test('implicit TLS (secure) with the private CA', async (t) => {
    if (!needsOpenssl(t)) return;
    const server = await smtp({ secure: true, key, cert });
    try {
      await emailProvider.send(config(server.port, { secure: true, ca: cert }), message(), PRIVATE_OK);
      assert.equal(server.mails[0]?.secure, true);
    } finally {
      await server.close();
    }
  });

  test('AUTH: the right password delivers, a wrong one (535) is a permanent failure', async (t) => {
    if (!needsOpenssl(t)) return;
    const server = await smtp({
      key,
      cert,
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'alerts' && auth.password === 'correct horse battery') return callback(null, { user: 'alerts' });
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
    });
    try {
      await emailProvider.send(config(server.port, { ca: cert, auth: { user: 'alerts', pass: 'correct horse battery' } }), message(), PRIVATE_OK);
      assert.equal(server.mails[0]?.user, 'alerts');
      const err = await deliveryError(() => emailProvider.send(config(server.port, { ca: cert, auth: { user: 'alerts', pass: 'wrong-password' } }), message(), PRIVATE_OK));
      assert.equal(err.permanent, true);
      assert.match(err.message, /535/);
      assert.ok(!err.message.includes('wrong-password'));
      const none = await deliveryError(() => emailProvider.send(config(server.port, { ca: cert }), message(), PRIVATE_OK));
      assert.match(none.message, /530|auth/i);
      assert.equal(server.mails.length, 1);
    } finally {
      await server.close();
    }
  });

  test('a 550 answer is permanent, a 451 answer is not', async (t) => {
    if (!needsOpenssl(t)) return;
    const server = await smtp({
      key,
      cert,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
        if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
        return callback();
      },
    });
    try {
      const rejected = await deliveryError(() => emailProvider.send(config(server.port, { ca: cert, to: ['nobody@example.com'] }), message(), PRIVATE_OK));
      assert.equal(rejected.permanent, true);
      assert.match(rejected.message, /550/);
      const later = await deliveryError(() => emailProvider.send(config(server.port, { ca: cert, to: ['busy@example.com'] }), message(), PRIVATE_OK));
      assert.equal(later.permanent, false);
      assert.match(later.message, /451/);
      assert.equal(server.mails.length, 0);
    } finally {
      await server.close();
    }
  });

  test('a server that is down, or that never greets, is a retryable failure', async () => {
    const port = await freePort();
    const refused = await deliveryError(() => emailProvider.send(config(port), message(), PRIVATE_OK));
    assert.equal(refused.permanent, false);

    const silent = net.createServer(() => {});
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const err = await deliveryError(() => emailProvider.send(config((silent.address() as AddressInfo).port), message(), { timeoutMs: 300, allowPrivateNetwork: false }));
      assert.equal(err.permanent, false);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test('CR/LF in from, to or the user name is refused at validation; in a subject it is flattened, never a new header', async () => {
    const base = { host: 'smtp.example.com', port: 587, from: 'alerts@example.com', to: ['ops@example.com'] };
    const cases: Array<[string, unknown, boolean]> = [
      ['minimal', base, true],
      ['CR/LF in from', { ...base, from: 'alerts@example.com\r\nBcc: victim@example.com' }, false],
      ['LF in to', { ...base, to: ['ops@example.com\nBcc: victim@example.com'] }, false],
      ['display name in to', { ...base, to: ['Ops <ops@example.com>'] }, false],
      ['CR/LF in user', { ...base, auth: { user: 'a\r\nb', pass: 'x' } }, false],
      ['CR/LF in host', { ...base, host: 'smtp.example.com\r\nRCPT' }, false],
      ['no recipient', { ...base, to: [] }, false],
      ['21 recipients', { ...base, to: Array.from({ length: 21 }, (_, i) => `r${i}@example.com`) }, false],
      ['port 0', { ...base, port: 0 }, false],
      ['auth with starttls off', { ...base, starttls: 'off', auth: { user: 'u', pass: 'p' } }, false],
      ['auth with opportunistic starttls', { ...base, starttls: 'opportunistic', auth: { user: 'u', pass: 'p' } }, false],
      ['auth with implicit TLS', { ...base, secure: true, port: 465, starttls: 'off', auth: { user: 'u', pass: 'p' } }, true],
      ['ca that is not PEM', { ...base, ca: 'not a certificate' }, false],
      ['unknown key', { ...base, rejectUnauthorized: false }, false],
      ['local relay address', { ...base, host: 'localhost', port: 25, starttls: 'off', from: 'root@localhost' }, true],
    ];
    for (const [name, cfg, ok] of cases) assert.equal(emailConfigSchema.safeParse(cfg).success, ok, name);
    assert.deepEqual(emailConfigSchema.parse(base).starttls, 'required');

    const server = await smtp({ disabledCommands: ['STARTTLS'] });
    try {
      await emailProvider.send(config(server.port, { starttls: 'off' }), message({ subject: 'login failed\r\nBcc: victim@example.com\r\nX-Injected: yes' }), PRIVATE_OK);
      const raw = server.mails[0]!.raw;
      assert.equal(header(raw, 'Subject').count, 1);
      assert.equal(header(raw, 'Subject').value, '[Aether] login failed Bcc: victim@example.com X-Injected: yes');
      assert.equal(header(raw, 'Bcc').count, 0);
      assert.equal(header(raw, 'X-Injected').count, 0);
      assert.deepEqual(server.mails[0]!.to, ['ops@example.com', 'oncall@example.com']);
    } finally {
      await server.close();
    }
  });
});

// ---- redact and the registry ---------------------------------------------------------------------------------------

describe('redact', () => {
  test('no secret survives in what the API shows', () => {
    const cases: Array<[string, unknown, string[]]> = [
      ['webhook', { url: 'https://hooks.example.com/in/PATHSECRET?token=QUERYSECRET', secret: SECRET, headers: { Authorization: 'Bearer HEADERSECRET', 'X-Team': 'ops' } }, [SECRET, 'QUERYSECRET', 'HEADERSECRET']],
      ['discord', { url: 'https://discord.com/api/webhooks/123456/DISCORDTOKEN' }, ['DISCORDTOKEN', '123456']],
      ['slack', { url: 'https://hooks.slack.com/services/T0001/B0002/SLACKTOKEN' }, ['SLACKTOKEN', 'T0001', 'B0002']],
      ['email', { host: 'smtp.example.com', port: 587, from: 'a@example.com', to: ['b@example.com'], auth: { user: 'alerts', pass: 'SMTPPASSWORD' } }, ['SMTPPASSWORD']],
    ];
    for (const [type, raw, secrets] of cases) {
      const provider = getProvider(type)!;
      const shown = JSON.stringify(provider.redact(provider.configSchema.parse(raw)));
      for (const secret of secrets) assert.ok(!shown.includes(secret), `${type} shows ${secret}: ${shown}`);
    }
    const webhookShown = webhookProvider.redact(webhookConfigSchema.parse(cases[0]![1]));
    assert.equal(webhookShown.url, 'https://hooks.example.com/in/PATHSECRET');
    assert.equal(webhookShown.secret, '********');
    assert.deepEqual(webhookShown.headers, { Authorization: '********', 'X-Team': 'ops' });
    assert.deepEqual(discordProvider.redact({ url: 'https://discord.com/api/webhooks/1/x' }), { url: 'https://discord.com/…' });
    const email = emailProvider.redact(emailConfigSchema.parse(cases[3]![1]));
    assert.deepEqual(email.auth, { user: 'alerts', pass: '********' });
  });
});

describe('registry', () => {
  test('every provider is registered once under its type; an unknown type is undefined', () => {
    assert.deepEqual(providerTypes.map((p) => p.type), ['email', 'webhook', 'discord', 'slack']);
    for (const { type, label } of providerTypes) {
      assert.equal(getProvider(type)?.type, type);
      assert.ok(label.length > 0);
    }
    assert.equal(providers.size, 4);
    for (const type of ['sms', '', 'constructor', '__proto__', 'toString']) assert.equal(getProvider(type), undefined, type);
  });
});

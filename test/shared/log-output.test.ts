// Log output: batched per event-loop turn, in order, written out on exit, and robust to a reader that goes away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { LogOutput } from '../../src/shared/log-output.ts';
import { createLogger } from '../../src/shared/logger.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const LOG_OUTPUT = fileURLToPath(new URL('../../src/shared/log-output.ts', import.meta.url));

/** Runs a small ESM script in a child Node (through tsx) and returns its exit code and stderr. */
function runScript(dir: string, body: string, opts: { closeStdout?: boolean } = {}): Promise<{ code: number | null; stderr: string }> {
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(file, `import { LogOutput } from ${JSON.stringify(LOG_OUTPUT)};\n${body}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Closing our end makes the child's writes to its stdout fail with EPIPE.
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('LogOutput', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'aether-log-output-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('lines of one turn are written together after the turn, in order, to every destination', async () => {
    const a = join(dir, 'a', 'one.log');
    const b = join(dir, 'b', 'two.log');
    const out = new LogOutput({ files: [{ path: a, mode: 0o640 }, { path: b, mode: 0o600 }] });
    try {
      for (let i = 0; i < 100; i += 1) out.write(`line ${i}\n`);
      assert.equal(readFileSync(a, 'utf8'), '', 'nothing is written during the turn');
      await turn();
      const expected = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('');
      assert.equal(readFileSync(a, 'utf8'), expected);
      assert.equal(readFileSync(b, 'utf8'), expected);
      assert.equal(statSync(a).mode & 0o777, 0o640);
      assert.equal(statSync(b).mode & 0o777, 0o600);
    } finally {
      out.close();
    }
  });

  test('flush writes at once, and appends to an existing file without touching what is there', async () => {
    const path = join(dir, 'existing.log');
    writeFileSync(path, 'old\n');
    const out = new LogOutput({ files: [{ path, mode: 0o640 }] });
    try {
      out.write('new ünïcødé\n');
      out.flush();
      assert.equal(readFileSync(path, 'utf8'), 'old\nnew ünïcødé\n');
      await turn();
      assert.equal(readFileSync(path, 'utf8'), 'old\nnew ünïcødé\n', 'a flushed line is not written twice');
    } finally {
      out.close();
    }
  });

  test('lines still queued when the process exits are written before it goes', async () => {
    const path = join(dir, 'exit.log');
    const r = await runScript(dir, `const out = new LogOutput({ files: [{ path: ${JSON.stringify(path)}, mode: 0o640 }] });\nout.write('last words\\n');\nprocess.exit(3);`);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(readFileSync(path, 'utf8'), 'last words\n');
  });

  test('a reader that goes away (EPIPE) stops that destination only; the file keeps every line', async () => {
    const path = join(dir, 'epipe.log');
    const body = [
      `const out = new LogOutput({ fds: [1], files: [{ path: ${JSON.stringify(path)}, mode: 0o640 }] });`,
      'for (let i = 0; i < 50; i += 1) {',
      "  out.write('x'.repeat(2000) + ` ${i}\\n`);",
      '  await new Promise((r) => setTimeout(r, 2));',
      '}',
      'out.close();',
    ].join('\n');
    const r = await runScript(dir, body, { closeStdout: true });
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 50);
    assert.match(lines[49] as string, / 49$/);
    assert.match(r.stderr, /log lines to descriptor 1 lost: EPIPE/);
    assert.equal(r.stderr.match(/lost: EPIPE/g)?.length, 1, 'the loss is reported once, not per line');
  });

  test('the logger writes one JSON line per call to panel.log, with secrets redacted', async () => {
    const logDir = join(dir, 'logs');
    const logger = createLogger({ level: 'info', logDir, stdout: false });
    logger.info({ user: 'ann', password: 'hunter2-hunter2', nested: { Authorization: 'Bearer abc' } }, 'signed in');
    logger.debug('below the level');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    const lines = readFileSync(join(logDir, 'panel.log'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0] as string);
    assert.equal(line.msg, 'signed in');
    assert.equal(line.user, 'ann');
    assert.equal(line.password, '[redacted]');
    assert.equal(line.nested.Authorization, '[redacted]');
    assert.doesNotMatch(lines[0] as string, /hunter2|abc/);
  });
});

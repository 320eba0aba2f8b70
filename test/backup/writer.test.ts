// A backup being written ends cleanly when it is stopped (the panel stopping): the promise rejects and nothing of it is
// left, neither the file nor a partial one nor the staging directory.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newIdentity, writeBackup } from '../../src/backup/index.ts';
import { createConfinedFs } from '../../src/files/confined-fs.ts';

test('an aborted backup leaves nothing behind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aether-writer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = join(dir, 'files');
  mkdirSync(files);
  for (let i = 0; i < 8; i += 1) writeFileSync(join(files, `part-${i}.bin`), randomBytes(4 * 1024 * 1024));
  const out = join(dir, 'out');
  mkdirSync(out);
  const { identity, recipient } = await newIdentity();
  const abort = new AbortController();
  const writing = writeBackup(
    { kind: 'server', panel: null, servers: [{ id: 'srv', name: 'srv', shortId: 'srv', files: async () => createConfinedFs({ root: files }) }], knownServers: [{ id: 'srv', name: 'srv', shortId: 'srv' }], panelVersion: 'test' },
    {
      out: join(out, 'backup.tar.gz.age'),
      sealing: { recipients: [recipient], identity },
      now: new Date(),
      signal: abort.signal,
      // Stopped once it has begun writing the files.
      onProgress: (p) => {
        if (p.phase === 'writing' && p.doneBytes > 0) abort.abort(new Error('stopping'));
      },
    },
  );
  await assert.rejects(writing);
  assert.deepEqual(readdirSync(out), [], 'no backup, no partial file, no staging directory');
});

// npm run test:image: builds the local image the container tests run, without any registry: a root filesystem made of
// Debian's static busybox (apt-get install busybox-static) and the stand-in game server, given to `docker import`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_IMAGE = 'aether-test/busybox:1';
const BUSYBOX = '/bin/busybox';
const FIXTURES = fileURLToPath(new URL('../test/fixtures/test-image/', import.meta.url));

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr || res.error?.message || res.status}`);
  return res.stdout;
}

const FILES = ['game.sh', 'hello.sh'];

/** A digest of what goes into the image, kept as a label so that a changed fixture rebuilds it. */
function fixturesDigest() {
  const h = createHash('sha256');
  for (const file of FILES) h.update(readFileSync(join(FIXTURES, file)));
  return h.digest('hex').slice(0, 16);
}

/** True when a Docker Engine answers. */
export function dockerReachable() {
  return spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
}

/** True when the image exists in the local engine and was built from the current fixtures. */
export function testImageCurrent() {
  const res = spawnSync('docker', ['image', 'inspect', '--format', '{{ index .Config.Labels "io.aether.fixtures" }}', TEST_IMAGE], { encoding: 'utf8' });
  return res.status === 0 && res.stdout.trim() === fixturesDigest();
}

/** Builds the image when a Docker Engine answers and the image is missing or stale; says what it did. */
export function ensureTestImage() {
  if (!dockerReachable()) return 'no Docker Engine: the container tests will say so';
  if (testImageCurrent()) return 'current';
  buildTestImage();
  return 'built';
}

export function buildTestImage() {
  // ldd answers "not a dynamic executable" for a static binary (Debian's busybox package is dynamic).
  const ldd = existsSync(BUSYBOX) ? spawnSync('ldd', [BUSYBOX], { encoding: 'utf8' }) : null;
  if (!ldd || !`${ldd.stdout}${ldd.stderr}`.includes('not a dynamic executable')) {
    throw new Error(`${BUSYBOX} must be Debian's static busybox: apt-get install busybox-static`);
  }
  const root = mkdtempSync(join(tmpdir(), 'aether-test-image-'));
  try {
    for (const dir of ['bin', 'etc', 'srv', 'tmp', 'data', 'proc', 'sys', 'dev']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync(BUSYBOX, join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    for (const applet of run(BUSYBOX, ['--list']).split('\n').filter(Boolean)) {
      if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
    }
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nserver:x:1000:1000:server:/data:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nserver:x:1000:\nnogroup:x:65534:\n');
    for (const file of FILES) {
      copyFileSync(join(FIXTURES, file), join(root, 'srv', file));
      chmodSync(join(root, 'srv', file), 0o755);
    }
    chmodSync(join(root, 'tmp'), 0o1777);
    const tar = join(root, '..', `${root.split('/').pop()}.tar`);
    run('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tar, '.']);
    try {
      const label = `LABEL io.aether.fixtures=${fixturesDigest()}`;
      run('docker', ['import', '--change', 'CMD ["/srv/game.sh"]', '--change', 'ENV PATH=/bin', '--change', 'WORKDIR /data', '--change', label, tar, TEST_IMAGE]);
    } finally {
      rmSync(tar, { force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildTestImage();
  console.log(`Built ${TEST_IMAGE}`);
}

// Makes the two base images the Dockerfile needs (BUILD_IMAGE and BASE_IMAGE) from this Debian host's own installed
// packages, for a machine that reaches no container registry: each is the files of a set of installed packages and
// everything they depend on, given to `docker import`.
//
//   node scripts/local-base-images.js          builds them (when missing or stale) and prints the --build-arg flags
//
// The build image has Node.js with npm and its headers, python3, make and g++ (for the native modules); the runtime base
// has only the C and C++ runtime libraries and the node binary, as /usr/local/bin/node like the official images.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCAL_BUILD_IMAGE = 'aether-local/node-build:1';
export const LOCAL_BASE_IMAGE = 'aether-local/node-runtime:1';
const NPM = '/usr/lib/node_modules/npm';

const BUILD_PACKAGES = ['nodejs', 'python3', 'make', 'g++', 'ca-certificates', 'bash', 'coreutils', 'dash', 'sed', 'grep', 'findutils', 'tar', 'gzip', 'diffutils'];
const RUNTIME_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1', 'tzdata'];
// Paths no build needs: left out to keep the images small.
const SKIP = [/^\/usr\/share\/(doc|man|info|locale|lintian|bug)\//];

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr || res.error?.message || res.status}`);
  return res.stdout;
}

/** Installed packages by name, with what each provides and depends on. */
function installedPackages() {
  const out = run('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\t${Provides}\t${Pre-Depends}, ${Depends}\n']);
  const byName = new Map();
  const providers = new Map();
  for (const line of out.split('\n').filter(Boolean)) {
    const [name, status, provides, depends] = line.split('\t');
    if (!status.startsWith('ii')) continue;
    byName.set(name, depends);
    for (const p of provides.split(',').map((s) => s.trim().split(/[\s(:]/)[0]).filter(Boolean)) {
      if (!providers.has(p)) providers.set(p, name);
    }
  }
  return { byName, providers };
}

/** The named packages and every installed package they depend on (the first installed choice of an alternative). */
export function packageClosure(roots) {
  const { byName, providers } = installedPackages();
  const resolve = (name) => (byName.has(name) ? name : providers.get(name) ?? null);
  const seen = new Set();
  const queue = roots.map((r) => {
    const name = resolve(r);
    if (!name) throw new Error(`package ${r} is not installed: apt-get install ${r}`);
    return name;
  });
  while (queue.length > 0) {
    const name = queue.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    for (const dep of byName.get(name).split(',').map((s) => s.trim()).filter(Boolean)) {
      const choice = dep
        .split('|')
        .map((alt) => resolve(alt.trim().split(/[\s(:]/)[0]))
        .find(Boolean);
      if (choice && !seen.has(choice)) queue.push(choice);
    }
  }
  return [...seen].sort();
}

/**
 * Every path the packages installed (but `skip` and what is under it), relative to / and through the merged /usr (dpkg still lists /lib/..., which is a
 * link to usr/lib here), without documentation and without `skip`.
 */
function packageFiles(packages, skip) {
  const files = new Set();
  for (const line of run('dpkg', ['-L', ...packages]).split('\n')) {
    if (!line.startsWith('/') || line === '/.' || SKIP.some((re) => re.test(line)) || skip.some((s) => line === s || line.startsWith(`${s}/`))) continue;
    let path;
    try {
      path = join(realpathSync(dirname(line)), basename(line));
      lstatSync(path);
    } catch {
      continue; // listed but not on disk (a removed conffile, say)
    }
    if (MERGED.includes(path.slice(1))) continue; // the staging folder has these links
    files.add(path.slice(1));
  }
  return [...files].sort();
}

// Debian's merged /usr: the top-level directories are links into /usr.
const MERGED = ['bin', 'sbin', 'lib', 'lib64'];

function imageLabel(image) {
  const res = spawnSync('docker', ['image', 'inspect', '--format', '{{ index .Config.Labels "io.aether.base" }}', image], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

/**
 * Imports the files of `packages` as `image`, with a staging folder laid over them (the merged-/usr links, a minimal
 * /etc/passwd, /tmp, and what `stage` adds), unless an image made from the same package versions is there already.
 */
function importImage(image, packages, { skip = [], stage = () => undefined, changes = [] }) {
  const versions = run('dpkg-query', ['-W', '-f=${Package}=${Version}\n', ...packages]);
  const digest = createHash('sha256').update(versions).update(stage.toString()).update(readFileSync(join(NPM, 'package.json'))).update(JSON.stringify([skip, changes])).digest('hex').slice(0, 16);
  if (imageLabel(image) === digest) return 'current';
  const work = mkdtempSync(join(tmpdir(), 'aether-base-'));
  try {
    const staging = join(work, 'root');
    for (const dir of ['etc', 'tmp', 'root', 'usr/local/bin', 'usr/lib64']) mkdirSync(join(staging, dir), { recursive: true });
    chmodSync(join(staging, 'tmp'), 0o1777);
    chmodSync(join(staging, 'root'), 0o700);
    for (const link of MERGED) symlinkSync(`usr/${link}`, join(staging, link));
    writeFileSync(join(staging, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
    writeFileSync(join(staging, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    stage(staging);
    const files = packageFiles(packages, skip);
    const listed = new Set(files);
    // Docker refuses a path twice in one layer: the staging folder adds only what the packages do not list.
    const staged = readdirSync(staging, { recursive: true }).map(String)
      .filter((p) => !listed.has(p) && !MERGED.some((m) => p.startsWith(`${m}/`)))
      .sort();
    const list = join(work, 'files');
    writeFileSync(list, `${files.join('\n')}\n`);
    const stagedList = join(work, 'staged');
    writeFileSync(stagedList, `${staged.join('\n')}\n`);
    const tarball = join(work, 'rootfs.tar');
    // Exactly the listed paths (links kept as links), then the staging folder's own.
    run('tar', ['-cf', tarball, '--numeric-owner', '--no-recursion', '-C', '/', '-T', list, '-C', staging, '-T', stagedList]);
    const args = ['import', '--change', `LABEL io.aether.base=${digest}`, ...changes.flatMap((c) => ['--change', c]), tarball, image];
    run('docker', args);
    return 'built';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Builds both base images when missing or stale; returns the --build-arg values that select them. */
export function ensureLocalBaseImages() {
  const node = realpathSync('/usr/bin/node');
  const build = importImage(LOCAL_BUILD_IMAGE, packageClosure(BUILD_PACKAGES), {
    skip: [node, NPM],
    stage(root) {
      // The node binary where the official images keep it, which is where the Dockerfile copies it from.
      copyFileSync(node, join(root, 'usr/local/bin/node'));
      chmodSync(join(root, 'usr/local/bin/node'), 0o755);
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      symlinkSync('../local/bin/node', join(root, 'usr/bin/node'));
      // npm as it is now (npm updates itself past the files its package lists).
      cpSync(NPM, join(root, NPM.slice(1)), { recursive: true, verbatimSymlinks: true });
      // cc and c++ are Debian alternatives (links outside dpkg's lists); node-gyp's makefiles call them.
      symlinkSync('gcc', join(root, 'usr/bin/cc'));
      symlinkSync('g++', join(root, 'usr/bin/c++'));
      mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true });
      copyFileSync('/etc/ssl/certs/ca-certificates.crt', join(root, 'etc/ssl/certs/ca-certificates.crt'));
    },
    // The headers are Debian's, where npm finds them without a download; the host's trust store (copied above) is the
    // one it reaches the registry with.
    changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'ENV npm_config_nodedir=/usr', 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt', 'ENV HOME=/root'],
  });
  const runtime = importImage(LOCAL_BASE_IMAGE, packageClosure(RUNTIME_PACKAGES), {
    stage(root) {
      copyFileSync(node, join(root, 'usr/local/bin/node'));
      chmodSync(join(root, 'usr/local/bin/node'), 0o755);
    },
    changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin'],
  });
  return { build, runtime, buildArgs: ['--build-arg', `BUILD_IMAGE=${LOCAL_BUILD_IMAGE}`, '--build-arg', `BASE_IMAGE=${LOCAL_BASE_IMAGE}`] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { build, runtime, buildArgs } = ensureLocalBaseImages();
  console.error(`${LOCAL_BUILD_IMAGE}: ${build}; ${LOCAL_BASE_IMAGE}: ${runtime}`);
  console.log(buildArgs.join(' '));
}

// Host ports for the servers a test file runs. Test files run several at once and each panel hands out the ports of
// its own range: two files on overlapping ranges would publish the same port ("port is already allocated"). Each range
// is reserved here across processes (a directory made atomically per range, removed when the process exits), and
// ranges lie below the kernel's ephemeral ports, which outgoing connections take, and above the default range
// (25565-26565) that a panel started on its defaults uses.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(tmpdir(), 'aether-test-ports');
const FIRST = 27_000;
const END = 32_000;
/** Every reservation is this many ports; a file asks for as many as it needs, up to this. */
const SLOT = 20;

const held: string[] = [];
process.on('exit', () => {
  for (const dir of held) rmSync(dir, { recursive: true, force: true });
});

/** A range left by a process that is gone (killed before it could remove it). */
function abandoned(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  } catch {
    // Made a moment ago, its owner not yet written.
    return false;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function take(dir: string): boolean {
  try {
    mkdirSync(dir);
  } catch {
    if (!abandoned(dir)) return false;
    rmSync(dir, { recursive: true, force: true });
    try {
      mkdirSync(dir);
    } catch {
      return false;
    }
  }
  writeFileSync(join(dir, 'pid'), String(process.pid));
  held.push(dir);
  return true;
}

/** A range of `size` host ports (at most 20) that no other test process holds, kept until this process exits. */
export function testPortRange(size = 10): { min: number; max: number } {
  if (size > SLOT) throw new Error(`at most ${SLOT} ports per range`);
  mkdirSync(ROOT, { recursive: true });
  const slots = Math.floor((END - FIRST) / SLOT);
  const first = Math.floor(Math.random() * slots);
  for (let i = 0; i < slots; i++) {
    const min = FIRST + ((first + i) % slots) * SLOT;
    if (take(join(ROOT, String(min)))) return { min, max: min + size - 1 };
  }
  throw new Error(`every test port range under ${ROOT} is held`);
}

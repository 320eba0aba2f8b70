// Starts a benchmark server script in its own Node process and waits for the one JSON line it reports when ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { READY_FD } from './ready-line.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every server child runs with exactly these Node flags, so the panel and the bare app are compared like for like. */
export const CHILD_NODE_FLAGS = ['--import', 'tsx'];

export type ServerProcess<T> = { pid: number; info: T; stop(): Promise<void> };

const READY_TIMEOUT_MS = 60_000;

export async function startServer<T>(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<ServerProcess<T>> {
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, ...nodeFlags, fileURLToPath(new URL(script, import.meta.url)), ...args], {
    cwd: REPO_ROOT,
    // stdout goes to /dev/null, as if the panel's console log were redirected; errors still reach the terminal.
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const info = await readyLine<T>(child, script);
  return { pid: child.pid!, info, stop: () => stopChild(child) };
}

function readyLine<T>(child: ChildProcess, script: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const ready = child.stdio[READY_FD] as NodeJS.ReadableStream;
    const lines = createInterface({ input: ready });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not report ready within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it was ready (code ${code}, signal ${signal})`));
    };
    child.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`${script} reported something other than its ready line: ${line}`));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

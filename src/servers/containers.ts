// What the panel does with a server's container on its node's engine, apart from any server's row: the image made
// present, the account it runs as, a line written to its stdin, waiting for it to exit.
import type { Duplex } from 'node:stream';
import { conflict } from '../shared/errors.ts';
import { dockerStatus, isUnreachable, type Docker } from './docker.ts';

/**
 * The account a server's container runs as: its template's user when the panel runs as root (the data directory is
 * handed to that user); otherwise the panel's own account, the only one a panel without root (the appliance image,
 * the systemd unit) can give the directory to, so that the server can write its files and the file manager and
 * SFTP can read them. Never 0: the panel's account is not root in that case, and templates may not name root.
 */
export function containerUser(templateUser: string): string {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  return uid === undefined || gid === undefined || uid === 0 ? templateUser : `${uid}:${gid}`;
}

/** The image present on the node: pulled when missing; `409 image_unavailable` when it cannot be. */
export async function ensureImage(docker: Docker, image: string, nodeName: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (err) {
    if (dockerStatus(err) !== 404) throw err;
  }
  try {
    await new Promise<void>((resolve, reject) => {
      docker.pull(image, (err: Error | null, stream?: NodeJS.ReadableStream) => {
        if (err || !stream) return reject(err ?? new Error('no pull stream'));
        docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve()));
      });
    });
  } catch (err) {
    if (isUnreachable(err)) throw err;
    throw conflict('image_unavailable', `The image ${image} is not on node "${nodeName}" and could not be pulled.`);
  }
}

/** Waits for a container to exit, at most ms; true when it did. */
export async function waitExit(docker: Docker, containerId: string, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([docker.getContainer(containerId).wait({ condition: 'not-running' }).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Writes a line to the container's stdin (the console, and a template's stop command). */
export async function writeStdin(docker: Docker, containerId: string, line: string): Promise<void> {
  const stream = (await docker.getContainer(containerId).attach({ stream: true, stdin: true, hijack: true })) as unknown as Duplex;
  await new Promise<void>((resolve, reject) => stream.write(`${line}\n`, (err) => (err ? reject(err) : resolve())));
  stream.end();
}

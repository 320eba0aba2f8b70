// Docker over SSH: an HTTP agent whose every connection is an SSH login running `docker system dial-stdio` on the
// engine's host (what the docker CLI does for ssh:// hosts), with the host key pinned, and every connection it opened
// ended when the node's client is dropped or the panel stops.
import { Agent } from 'node:http';
import { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';

export type SshTarget = { host: string; port: number; username: string; privateKey: string; verifyHostKey: (key: Buffer) => boolean; readyTimeoutMs: number };

/**
 * An SSH channel as the HTTP client wants a socket: a duplex stream with the socket methods it calls (the idle timer
 * is the HTTP request's own, kept here, as on a socket).
 */
class ChannelSocket extends Duplex {
  private timer: NodeJS.Timeout | null = null;
  private idleMs = 0;

  constructor(private readonly channel: ClientChannel) {
    super();
    channel.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => this.push(null));
    channel.on('close', () => this.destroy());
    channel.on('error', (err: Error) => this.destroy(err));
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.touch();
    this.channel.write(chunk, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.channel.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.channel.close();
    done(err);
  }

  private touch(): void {
    if (!this.idleMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emit('timeout'), this.idleMs);
    this.timer.unref();
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) this.once('timeout', onTimeout);
    if (ms) this.touch();
    else if (this.timer) clearTimeout(this.timer);
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

export class SshDockerAgent extends Agent {
  private readonly open = new Set<Client>();

  constructor(private readonly target: SshTarget) {
    super({ keepAlive: false });
  }

  override createConnection(_options: unknown, callback: (err: Error | null, socket?: Duplex) => void): undefined {
    const client = new Client();
    this.open.add(client);
    let done = false;
    const fail = (err: Error) => {
      client.end();
      if (!done) {
        done = true;
        callback(err);
      }
    };
    client.on('close', () => this.open.delete(client));
    client.on('error', fail);
    client.on('ready', () => {
      client.exec('docker system dial-stdio', (err, channel) => {
        if (err) return fail(err);
        const socket = new ChannelSocket(channel);
        // One HTTP connection per SSH login: when the request is over, so is the login.
        socket.on('close', () => client.end());
        done = true;
        callback(null, socket);
      });
    });
    const t = this.target;
    client.connect({ host: t.host, port: t.port, username: t.username, privateKey: t.privateKey, hostVerifier: t.verifyHostKey, readyTimeout: t.readyTimeoutMs });
    return undefined;
  }

  /** Ends every SSH login this agent opened (the node's client is dropped, or the panel stops). */
  override destroy(): void {
    for (const client of this.open) client.end();
    this.open.clear();
    super.destroy();
  }
}

// A small HTTP client for tests: a cookie jar, the CSRF token, the Origin header and a chosen source address.
import { request as httpRequest } from 'node:http';

export type Res = { status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string };

export type ClientOptions = { localAddress?: string; origin?: string | null };

export class TestClient {
  readonly jar = new Map<string, string>();
  csrf: string | null = null;
  constructor(readonly base: string, readonly opts: ClientOptions = {}) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async raw(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Res> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size && headers.Cookie === undefined) headers.Cookie = this.cookieHeader();
    if (this.opts.origin !== null && headers.Origin === undefined && method !== 'GET') headers.Origin = this.opts.origin ?? this.base;
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { method, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port, path: url.pathname + url.search, headers, ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
              const [pair] = c.split(';');
              const eq = pair!.indexOf('=');
              const name = pair!.slice(0, eq).trim();
              const value = pair!.slice(eq + 1).trim();
              if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
              else this.jar.set(name, value);
            }
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = undefined;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the panel closed as idle just as this request went out on it: the request never
        // reached the panel, and goes again on a new connection (as Node's documentation advises).
        if (req.reusedSocket && err.code === 'ECONNRESET') this.raw(method, path, init).then(resolve, reject);
        else reject(err);
      });
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (this.csrf && method !== 'GET' && h['X-CSRF-Token'] === undefined) h['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    return this.raw(method, path, { ...(body !== undefined ? { body: JSON.stringify(body) } : {}), headers: h });
  }

  get = (path: string) => this.json('GET', path);
  post = (path: string, body?: unknown) => this.json('POST', path, body);
  put = (path: string, body?: unknown) => this.json('PUT', path, body);
  patch = (path: string, body?: unknown) => this.json('PATCH', path, body);
  del = (path: string) => this.json('DELETE', path);

  async login(username: string, password: string): Promise<Res> {
    const res = await this.post('/api/v1/auth/login', { username, password });
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }
}

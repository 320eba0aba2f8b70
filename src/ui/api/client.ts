// The one HTTP client for /api/v1: JSON bodies, same-origin cookie, CSRF header and error mapping.
import { ApiError } from './api-error.ts';

const API_BASE = '/api/v1';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

// SECURITY: the CSRF token lives only in memory; a reload fetches it again from /auth/session.
let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;
let onTwoFactorSetupRequired: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request finds the session gone (expired, revoked), so the UI can sign out. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** Called when any request is refused until the user sets up 2FA (the policy covers them), so the UI can ask for it. */
export function setTwoFactorSetupHandler(handler: (() => void) | null): void {
  onTwoFactorSetupRequired = handler;
}

export type RequestOptions = {
  body?: unknown;
  query?: Record<string, string | number | null | undefined>;
  /** Do not trigger the global sign-out on 401 (login, session probe). */
  expectUnauthenticated?: boolean;
};

export async function apiRequest<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const url = API_BASE + path + queryString(opts.query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', message: 'Cannot reach the panel. Check your connection.' });
  }

  const data = await readJson(res);
  if (res.ok) return data as T;

  const err = toApiError(res, data);
  if (err.status === 401 && err.code === 'unauthenticated' && !opts.expectUnauthenticated) {
    onUnauthenticated?.();
  }
  // Either restriction is shown by the session's fresh state (the forced 2FA setup or password change screen).
  if (err.status === 403 && (err.code === 'two_factor_setup_required' || err.code === 'password_change_required')) onTwoFactorSetupRequired?.();
  throw err;
}

export type UploadOptions = {
  query?: RequestOptions['query'];
  /** Bytes sent so far, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
};

/**
 * PUTs a file as the raw request body. fetch() cannot report upload progress, so this one request goes through
 * XMLHttpRequest, with the same cookie, CSRF header and error mapping as every other.
 */
export function apiUpload<T>(path: string, body: Blob, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', API_BASE + path + queryString(opts.query));
    xhr.setRequestHeader('Accept', 'application/json');
    // The file's own type (a .json file is application/json) must not make the panel read it as a request.
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => opts.onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    const abort = () => xhr.abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    const done = () => opts.signal?.removeEventListener('abort', abort);
    xhr.onabort = () => {
      done();
      reject(new ApiError({ status: 0, code: 'aborted', message: 'The upload was cancelled.' }));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError({ status: 0, code: 'network_error', message: 'Cannot reach the panel. Check your connection.' }));
    };
    xhr.onload = () => {
      done();
      let data: unknown;
      if ((xhr.getResponseHeader('Content-Type') ?? '').includes('json')) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = undefined;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as T);
        return;
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader('Retry-After');
      if (retry) headers.set('Retry-After', retry);
      const err = toApiError(new Response(null, { status: xhr.status, statusText: xhr.statusText, headers }), data);
      if (err.status === 401 && err.code === 'unauthenticated') onUnauthenticated?.();
      reject(err);
    };
    if (opts.signal?.aborted) {
      reject(new ApiError({ status: 0, code: 'aborted', message: 'The upload was cancelled.' }));
      return;
    }
    xhr.send(body);
  });
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function readJson(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const type = res.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

function toApiError(res: Response, data: unknown): ApiError {
  const body = (data as { error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown } } | undefined)?.error;
  const retry = Number.parseInt(res.headers.get('Retry-After') ?? '', 10);
  return new ApiError({
    status: res.status,
    code: typeof body?.code === 'string' ? body.code : `http_${res.status}`,
    message: typeof body?.message === 'string' && body.message ? body.message : fallbackMessage(res),
    requestId: typeof body?.requestId === 'string' ? body.requestId : null,
    retryAfterSeconds: Number.isFinite(retry) ? retry : null,
    details: isRecord(body?.details) ? body.details : null,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fallbackMessage(res: Response): string {
  if (res.status === 401) return 'Please sign in.';
  if (res.status === 403) return 'You do not have permission to do that.';
  if (res.status === 404) return 'Not found.';
  if (res.status === 429) return 'Too many requests.';
  if (res.status >= 500) return 'The panel hit an internal error.';
  return res.statusText || `Request failed (${res.status}).`;
}

// API calls of a server's files: list, the editor's read and save, upload with progress, download links, and the
// changes (new folder, rename or move, copy, delete, permissions, archive, extract). Paths are from the server's root.
import { apiRequest, apiUpload } from './client.ts';

export type FileEntry = {
  name: string;
  /** A link is shown, never followed; "other" is a FIFO, socket or device. */
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** Permission bits in octal, e.g. "0644". */
  mode: string;
  modifiedAt: string;
};

export type Listing = { path: string; entries: FileEntry[]; truncated: boolean };
export type ArchiveFormat = 'tar.gz' | 'zip';

const filesPath = (serverId: string) => `/servers/${encodeURIComponent(serverId)}/files`;

export function listFiles(serverId: string, path: string): Promise<Listing> {
  return apiRequest<Listing>('GET', filesPath(serverId), { query: { path } });
}

export async function statFile(serverId: string, path: string): Promise<FileEntry> {
  const res = await apiRequest<{ entry: FileEntry }>('GET', `${filesPath(serverId)}/stat`, { query: { path } });
  return res.entry;
}

export function readTextFile(serverId: string, path: string): Promise<{ path: string; content: string; size: number }> {
  return apiRequest('GET', `${filesPath(serverId)}/content`, { query: { path } });
}

/** The address the browser downloads a file from (an attachment, with the session cookie). */
export const downloadUrl = (serverId: string, path: string) => `/api/v1${filesPath(serverId)}/download?${new URLSearchParams({ path })}`;

export type UploadResult = { entry: FileEntry; bytes: number };

/** Writes a file (replacing the whole of it at once, never half-written), reporting progress. */
export function uploadFile(
  serverId: string,
  path: string,
  body: Blob,
  opts: { overwrite: boolean; onProgress?: (sent: number, total: number) => void; signal?: AbortSignal },
): Promise<UploadResult> {
  return apiUpload<UploadResult>(`${filesPath(serverId)}/upload`, body, {
    query: { path, overwrite: opts.overwrite ? 'true' : 'false' },
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
}

export function saveTextFile(serverId: string, path: string, content: string): Promise<UploadResult> {
  return uploadFile(serverId, path, new Blob([content], { type: 'application/octet-stream' }), { overwrite: true });
}

export function makeDirectory(serverId: string, path: string): Promise<void> {
  return apiRequest('POST', `${filesPath(serverId)}/mkdir`, { body: { path } });
}

export function renameEntry(serverId: string, from: string, to: string): Promise<void> {
  return apiRequest('POST', `${filesPath(serverId)}/rename`, { body: { from, to } });
}

export function copyEntry(serverId: string, from: string, to: string): Promise<void> {
  return apiRequest('POST', `${filesPath(serverId)}/copy`, { body: { from, to } });
}

export function deleteEntry(serverId: string, path: string, recursive: boolean): Promise<void> {
  return apiRequest('DELETE', filesPath(serverId), { query: { path, recursive: recursive ? 'true' : 'false' } });
}

export function changeMode(serverId: string, path: string, mode: string): Promise<void> {
  return apiRequest('POST', `${filesPath(serverId)}/chmod`, { body: { path, mode } });
}

export function archiveEntries(serverId: string, paths: string[], to: string, format: ArchiveFormat): Promise<{ entry: FileEntry; entries: number; skipped: number }> {
  return apiRequest('POST', `${filesPath(serverId)}/archive`, { body: { paths, to, format } });
}

export function extractArchive(serverId: string, path: string, to: string): Promise<{ files: number; directories: number; bytes: number }> {
  return apiRequest('POST', `${filesPath(serverId)}/extract`, { body: { path, to } });
}

export type SftpEndpoint = { enabled: boolean; host: string | null; port: number | null; hostKeyFingerprint: string | null };

export function getSftpEndpoint(): Promise<SftpEndpoint> {
  return apiRequest<SftpEndpoint>('GET', '/sftp');
}

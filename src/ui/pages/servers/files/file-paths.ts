// Paths of a server's files as the file manager builds them: "/" is the server's root, names are joined with "/".
// The panel checks every path again; these only keep the UI from asking for what it would refuse.

/** A path with one leading slash and no empty, "." or trailing parts ("" and "/" are the root). */
export function normalizeDir(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

export const joinPath = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

export function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

export const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The links of the path bar: the root, then each directory down to this one. */
export function crumbsOf(dir: string): Array<{ name: string; path: string }> {
  const crumbs = [{ name: 'Files', path: '/' }];
  let at = '';
  for (const part of dir.split('/').filter(Boolean)) {
    at += `/${part}`;
    crumbs.push({ name: part, path: at });
  }
  return crumbs;
}

/** Why a name cannot be one entry's name, or null when it can. */
export function nameProblem(name: string): string | null {
  if (!name) return 'Enter a name.';
  if (name === '.' || name === '..') return 'This name is reserved.';
  if (name.includes('/')) return 'A name cannot contain "/"; create the folders one at a time.';
  if (/[\u0000-\u001f\u007f\\]/.test(name)) return 'A name cannot contain control characters or "\\".';
  if (new TextEncoder().encode(name).length > 255) return 'A name can be at most 255 bytes long.';
  return null;
}

/** Why a path (from the root, for a move or copy) cannot be used, or null when it can. */
export function pathProblem(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return 'Enter a path from the server\'s root, such as /plugins/config.yml.';
  for (const part of parts) {
    const problem = part === '.' || part === '..' ? '"." and ".." cannot be used: give the path from the server\'s root.' : nameProblem(part);
    if (problem) return problem;
  }
  return null;
}

const ARCHIVE = /\.(zip|tar\.gz|tgz|tar)$/i;

export const isArchive = (name: string) => ARCHIVE.test(name);

/** The folder an archive is extracted into by default: its name without the extension. */
export const archiveStem = (name: string) => name.replace(ARCHIVE, '') || 'extracted';

// Files the editor opens: text by their name; anything else may still be opened, and the panel says if it is not text.
const TEXT = /\.(txt|log|md|cfg|conf|config|ini|properties|json|json5|ya?ml|toml|xml|csv|tsv|sh|bat|cmd|ps1|js|mjs|cjs|ts|lua|py|rb|php|java|kt|sk|env|list|lst|whitelist|ops|mcmeta|secret)$/i;

export const looksLikeText = (name: string) => TEXT.test(name) || !name.includes('.') || name.startsWith('.');

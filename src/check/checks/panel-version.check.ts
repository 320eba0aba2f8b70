// Panel updated to the latest version: the running version against the release feed (checklist.releaseFeedUrl).
import { pass, warn, type Check } from '../check.types.ts';

/** Numeric parts of a version ("v1.2.3-rc.1" -> [1, 2, 3] and "rc.1"). */
function parse(version: string): { parts: number[]; pre: string | null } | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(version.trim());
  if (!m) return null;
  return { parts: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] ?? null };
}

/** Negative when a is older than b, 0 when equal, positive when newer; null when either is not a version. */
export function compareVersions(a: string, b: string): number | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  for (let i = 0; i < 3; i += 1) if (x.parts[i] !== y.parts[i]) return x.parts[i]! - y.parts[i]!;
  // A pre-release comes before its release.
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

type Feed = { tag_name?: unknown; version?: unknown; html_url?: unknown; url?: unknown; published_at?: unknown };

export const panelVersionCheck: Check = {
  id: 'panel-version',
  title: 'Panel updated to the latest version',
  async run({ config, probe, version }) {
    const url = config.checklist.releaseFeedUrl;
    if (!url) return warn(`Running ${version}; not compared with the latest release: checklist.releaseFeedUrl is null.`, 'Set checklist.releaseFeedUrl to the release feed, or compare the version by hand with the release notes.', { version });
    let res;
    try {
      res = await probe.httpGet(url, { Accept: 'application/json', 'User-Agent': `aether-panel/${version}` });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${config.checklist.networkTimeoutSeconds} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
      return warn(`Running ${version}; could not check for a newer release: GET ${url} failed (${why}).`, 'Allow the panel to reach the release feed (or set checklist.releaseFeedUrl), or compare the version by hand with the release notes.', { version, feed: url });
    }
    if (res.status !== 200) return warn(`Running ${version}; could not check for a newer release: GET ${url} answered HTTP ${res.status}.`, 'Check checklist.releaseFeedUrl, or compare the version by hand with the release notes.', { version, feed: url, httpStatus: res.status });
    let feed: Feed;
    try {
      feed = JSON.parse(res.body) as Feed;
    } catch {
      return warn(`Running ${version}; the release feed ${url} did not answer JSON.`, 'Check checklist.releaseFeedUrl.', { version, feed: url });
    }
    const latest = typeof feed.tag_name === 'string' ? feed.tag_name : typeof feed.version === 'string' ? feed.version : null;
    const cmp = latest === null ? null : compareVersions(version, latest);
    if (latest === null || cmp === null) return warn(`Running ${version}; the release feed ${url} names no version it could compare (tag_name or version).`, 'Check checklist.releaseFeedUrl.', { version, feed: url });
    const notes = typeof feed.html_url === 'string' ? feed.html_url : typeof feed.url === 'string' ? feed.url : null;
    const published = typeof feed.published_at === 'string' ? ` (published ${feed.published_at.slice(0, 10)})` : '';
    const details = { version, latest: latest.replace(/^v/, ''), feed: url, ...(notes ? { releaseNotes: notes } : {}) };
    if (cmp >= 0) return pass(`Running ${version}, the latest release is ${latest.replace(/^v/, '')}${published}.`, details);
    const fix = `Update to ${latest.replace(/^v/, '')}${notes ? ` (release notes: ${notes})` : ''}: make a backup (aether backup create), then install the new version and restart the panel (docker compose pull && docker compose up -d for the container).`;
    return warn(`Update available: ${latest.replace(/^v/, '')}${published}; running ${version}.`, fix, details);
  },
};

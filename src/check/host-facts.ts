// Facts about the host several checks need: which OS family it is, and whether the checklist runs inside a container.
import type { HostProbe } from './host-probe.ts';

export type OsInfo = { id: string; idLike: string[]; name: string };

/** /etc/os-release's ID, ID_LIKE and PRETTY_NAME; null when the file is missing. */
export async function osRelease(probe: HostProbe): Promise<OsInfo | null> {
  const text = (await probe.readFile('/etc/os-release')) ?? (await probe.readFile('/usr/lib/os-release'));
  if (text === null) return null;
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) values.set(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  }
  return { id: values.get('ID') ?? 'unknown', idLike: (values.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean), name: values.get('PRETTY_NAME') ?? values.get('NAME') ?? 'unknown' };
}

/** True inside a Docker, Podman or Kubernetes container: there the host's SSH, firewall and packages are out of sight. */
export async function inContainer(probe: HostProbe): Promise<boolean> {
  if ((await probe.stat('/.dockerenv')) || (await probe.stat('/run/.containerenv'))) return true;
  const cgroup = await probe.readFile('/proc/1/cgroup').catch(() => null);
  return cgroup !== null && /docker|containerd|kubepods|libpod/.test(cgroup);
}

export const CONTAINER_NOTE = 'This runs inside a container, so the host itself is out of sight: run the same check on the host too.';

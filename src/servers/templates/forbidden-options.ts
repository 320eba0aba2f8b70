// Options a template can never have (raw Docker settings and escalations), found at any depth before the strict parse so the refusal says why.
import { ALLOWED_CAPABILITIES } from './capabilities.ts';

export type ForbiddenOption = { path: Array<string | number>; reason: string };

const MOUNTS = 'the only mount is the server\'s own data directory (its path inside the container is "dataPath")';

// SECURITY: PufferPanel passes a template's raw Docker HostConfig through; we never do. A strict parse would refuse
// these keys anyway ("unknown key"); naming them here tells the author why, wherever the key is hidden. Keys are
// compared lower-cased without _ and -, so HostConfig, host_config and cap-add are all caught.
const FORBIDDEN_KEYS = new Map<string, string>([
  ['privileged', 'servers never run privileged'],
  ['hostconfig', 'raw Docker host settings are never passed through: the panel builds them from the template\'s own fields'],
  ['config', 'raw Docker settings are never passed through: the panel builds them from the template\'s own fields'],
  ['networkmode', 'a server has its own network or none: use "network": "isolated" or "none"'],
  ['netmode', 'a server has its own network or none: use "network": "isolated" or "none"'],
  ['networkingconfig', 'a server has its own network or none: use "network": "isolated" or "none"'],
  ['pidmode', 'servers never share the process namespace of the host or of another container'],
  ['pid', 'servers never share the process namespace of the host or of another container'],
  ['ipcmode', 'servers never share the IPC namespace of the host or of another container'],
  ['ipc', 'servers never share the IPC namespace of the host or of another container'],
  ['utsmode', 'servers never share the hostname namespace of the host'],
  ['uts', 'servers never share the hostname namespace of the host'],
  ['usernsmode', 'servers never leave the user namespace settings of the engine'],
  ['userns', 'servers never leave the user namespace settings of the engine'],
  ['cgroupnsmode', 'servers never share the cgroup namespace of the host'],
  ['cgroupparent', 'servers stay in the engine\'s cgroup hierarchy'],
  ['cgroup', 'servers stay in the engine\'s cgroup hierarchy'],
  ['devices', 'servers get no host devices'],
  ['devicerequests', 'servers get no host devices (GPUs included)'],
  ['devicecgrouprules', 'servers get no host devices'],
  ['gpus', 'servers get no host devices (GPUs included)'],
  ['binds', MOUNTS],
  ['mounts', MOUNTS],
  ['volumes', MOUNTS],
  ['volumesfrom', MOUNTS],
  ['volumedriver', MOUNTS],
  ['tmpfs', 'the only tmpfs is /tmp, sized with "tmpfsMb"'],
  ['capadd', `capabilities are listed in "capabilities", from ${ALLOWED_CAPABILITIES.join(', ')}`],
  ['capdrop', 'every capability is always dropped; add back allowed ones with "capabilities"'],
  ['securityopt', 'the default seccomp profile and no-new-privileges always apply'],
  ['seccomp', 'the default seccomp profile always applies'],
  ['apparmor', 'the engine\'s default AppArmor profile always applies'],
  ['sysctls', 'kernel parameters are never changed for a server'],
  ['runtime', 'servers use the engine\'s default runtime'],
  ['oomkilldisable', 'the memory limit is always enforced'],
  ['memoryswap', 'servers never get swap: memory plus swap always equals memory'],
  ['memoryswappiness', 'servers never get swap: memory plus swap always equals memory'],
  ['ulimits', 'servers keep the engine\'s resource limits; use "limits"'],
  ['groupadd', 'servers get no supplementary groups (one could be the host\'s docker group)'],
  ['links', 'servers never link to other containers'],
  ['extrahosts', 'servers never get extra host names (they could point at the panel or the host)'],
  ['publishallports', 'only the ports the template declares are published, on the addresses the panel allocates'],
  ['portbindings', 'host ports are allocated by the panel, never by a template'],
  ['__proto__', 'not a valid key'],
  ['constructor', 'not a valid key'],
  ['prototype', 'not a valid key'],
]);

const MAX_DEPTH = 16;

const normalise = (key: string): string => (key === '__proto__' ? key : key.toLowerCase().replace(/[-_]/g, ''));

const isRoot = (part: string): boolean => /^(0+|root)$/i.test(part.trim());

/** Why the value of a key the schema allows is still refused (network "host", user root), or null. */
function forbiddenValue(key: string, value: unknown): string | null {
  if (key === 'network' && typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'host') return '"host" is not allowed: servers never use the host\'s network; use "isolated" or "none"';
    if (v.startsWith('container:')) return `"${value}" is not allowed: servers never join another container's network`;
    if (v === 'bridge' || v === 'default') return `"${value}" is not allowed: the engine's shared bridge is not isolated; use "isolated" or "none"`;
  }
  if (key === 'user' && (typeof value === 'string' || typeof value === 'number')) {
    const parts = String(value).split(':');
    if (parts.some(isRoot)) return `${JSON.stringify(value)} is not allowed: servers never run as root (uid 0) or in the root group (gid 0)`;
  }
  return null;
}

/** The first forbidden key or value anywhere in a template's JSON, with its path, or null. */
export function findForbiddenOption(value: unknown, path: Array<string | number> = []): ForbiddenOption | null {
  if (path.length > MAX_DEPTH) return { path, reason: 'is nested too deeply to be a template' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenOption(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const name = normalise(key);
    const why = FORBIDDEN_KEYS.get(name);
    if (why) return { path: [...path, key], reason: `not allowed: ${why}` };
    const valueWhy = forbiddenValue(name, child);
    if (valueWhy) return { path: [...path, key], reason: valueWhy };
    const found = findForbiddenOption(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

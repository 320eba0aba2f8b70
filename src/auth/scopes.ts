// The one scope catalog: every permission the panel knows, global or per server, with what each allows.

export type ScopeDef = { name: string; description: string; perServer: boolean };

const defs: ScopeDef[] = [
  { name: 'admin', description: 'Full administrative access; implies every other scope.', perServer: false },
  { name: 'users.view', description: 'List users and see their roles.', perServer: false },
  { name: 'users.edit', description: 'Create, edit, disable and delete users, assign roles, revoke sessions.', perServer: false },
  { name: 'roles.view', description: 'List roles and their scopes.', perServer: false },
  { name: 'roles.edit', description: 'Create, edit and delete custom roles.', perServer: false },
  { name: 'audit.view', description: 'Read the audit log.', perServer: false },
  { name: 'settings.view', description: 'See panel settings such as the admin IP allowlist.', perServer: false },
  { name: 'settings.edit', description: 'Change panel settings such as the admin IP allowlist.', perServer: false },
  { name: 'clients.view', description: 'See own OAuth2 API clients.', perServer: false },
  { name: 'clients.edit', description: 'Create, regenerate and delete own OAuth2 API clients.', perServer: false },
  { name: 'monitor.view', description: 'See detections, bans and detection rules.', perServer: false },
  { name: 'monitor.edit', description: 'Ban and unban addresses.', perServer: false },
  { name: 'alerts.view', description: 'Read security alerts.', perServer: false },
  { name: 'alerts.manage', description: 'Acknowledge, resolve and act on security alerts.', perServer: false },
  { name: 'nodes.view', description: 'See Docker nodes and their health.', perServer: false },
  { name: 'nodes.edit', description: 'Add, change and remove Docker nodes.', perServer: false },
  { name: 'templates.edit', description: 'Create and change server templates.', perServer: false },
  { name: 'backups.manage', description: 'Create, verify and restore panel backups.', perServer: false },
  { name: 'server.create', description: 'Create new servers.', perServer: false },
  {
    name: 'servers.suspend',
    description: 'Suspend and unsuspend any server. A suspended server is stopped and cannot be started; only holders of this scope reach its files, console, SFTP and power.',
    perServer: false,
  },
  { name: 'server.admin', description: 'Every per-server scope on the servers it is granted for.', perServer: true },
  { name: 'server.view', description: 'View server information.', perServer: true },
  { name: 'server.edit', description: 'Modify server configuration.', perServer: true },
  { name: 'server.start', description: 'Start servers.', perServer: true },
  { name: 'server.stop', description: 'Stop, restart and kill servers.', perServer: true },
  { name: 'server.console', description: 'Read the live console.', perServer: true },
  { name: 'server.console.send', description: 'Send commands to the console.', perServer: true },
  { name: 'server.files.view', description: 'List and download server files.', perServer: true },
  { name: 'server.files.edit', description: 'Edit, upload, rename and delete server files.', perServer: true },
  { name: 'server.sftp', description: 'Connect over SFTP (file scopes still apply).', perServer: true },
  { name: 'server.backup.view', description: 'List and download server backups.', perServer: true },
  { name: 'server.backup.create', description: 'Create server backups.', perServer: true },
  { name: 'server.backup.restore', description: 'Restore server backups.', perServer: true },
  { name: 'server.backup.delete', description: 'Delete server backups.', perServer: true },
  { name: 'server.delete', description: 'Delete servers.', perServer: true },
];

export const SCOPES: ReadonlyArray<Readonly<ScopeDef>> = Object.freeze(defs.map((d) => Object.freeze(d)));
export const SCOPE_NAMES: ReadonlySet<string> = new Set(SCOPES.map((s) => s.name));
export const PER_SERVER_SCOPES: ReadonlySet<string> = new Set(SCOPES.filter((s) => s.perServer).map((s) => s.name));

export const isScope = (name: string): boolean => SCOPE_NAMES.has(name);

/** The scopes a granted scope implies, itself included. */
export function expandScope(scope: string): string[] {
  if (scope === 'admin') return [...SCOPE_NAMES];
  if (scope === 'server.admin') return [...PER_SERVER_SCOPES];
  return [scope];
}

/** Built-in roles: created at first start, never editable. */
export const BUILTIN_ROLES: ReadonlyArray<{ name: string; description: string; scopes: string[] }> = [
  { name: 'admin', description: 'Full administrative access.', scopes: ['admin'] },
  {
    name: 'operator',
    description: 'Runs servers: creates and manages every server, sees users and the audit log.',
    scopes: ['server.create', 'server.admin', 'users.view', 'roles.view', 'audit.view', 'nodes.view', 'alerts.view'],
  },
  { name: 'server-owner', description: 'Everything on the servers it is assigned for (given to the owner of a new server).', scopes: ['server.admin'] },
  {
    name: 'auditor',
    description: 'Read-only: sees users, roles, settings, servers and the audit log; changes nothing.',
    scopes: ['users.view', 'roles.view', 'audit.view', 'settings.view', 'alerts.view', 'monitor.view', 'nodes.view', 'clients.view', 'server.view', 'server.files.view', 'server.backup.view'],
  },
];

// The services the HTTP routes call, gathered in one bag so route files stay thin.
import type { AlertsService, ChannelsService, Outbox, Responder } from '../alerts/index.ts';
import type { AllowlistService } from '../auth/allowlist.service.ts';
import type { AuditService } from '../audit/index.ts';
import type { LoginService } from '../auth/login.service.ts';
import type { PasswordHasher } from '../auth/password.hasher.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import type { RolesService } from '../auth/roles.service.ts';
import type { SessionsService } from '../auth/sessions.service.ts';
import type { SetupService } from '../auth/setup.service.ts';
import type { SftpCredentials } from '../auth/sftp-credentials.service.ts';
import type { TwoFactorPolicy } from '../auth/two-factor.policy.ts';
import type { TwoFactorService } from '../auth/two-factor.service.ts';
import type { UsersService } from '../auth/users.service.ts';
import type { Db } from '../db/index.ts';
import type { FilesService } from '../files/index.ts';
import type { BackupService } from '../backup/index.ts';
import type { ChecklistService } from '../check/index.ts';
import type { LockdownService } from '../incident/index.ts';
import type { GatusReceiver, StatusPageAccessService } from '../gatus/index.ts';
import type { BansService, MonitorService } from '../monitor/index.ts';
import type { OAuth } from '../oauth/index.ts';
import type { ResourcesService } from '../resources/index.ts';
import type { ConsoleTickets, NodesService, ServersService, TemplatesService } from '../servers/index.ts';
import type { Clock } from '../shared/clock.ts';

/** Where SFTP listens, for users to connect and check the host key: the port is filled in once the panel listens. */
export type SftpEndpoint = { enabled: boolean; host: string | null; port: number | null; hostKeyFingerprint: string | null };

export type Services = {
  db: Db;
  clock: Clock;
  audit: AuditService;
  users: UsersService;
  roles: RolesService;
  sessions: SessionsService;
  login: LoginService;
  setup: SetupService;
  allowlist: AllowlistService;
  limits: RateLimits;
  hasher: PasswordHasher;
  twoFactor: TwoFactorService;
  twoFactorPolicy: TwoFactorPolicy;
  oauth: OAuth;
  bans: BansService;
  monitor: MonitorService;
  alerts: AlertsService;
  channels: ChannelsService;
  outbox: Outbox;
  responder: Responder;
  resources: ResourcesService;
  nodes: NodesService;
  templates: TemplatesService;
  servers: ServersService;
  files: FilesService;
  sftpCredentials: SftpCredentials;
  backups: BackupService;
  lockdown: LockdownService;
  checklist: ChecklistService;
  gatus: {
    receiver: GatusReceiver;
    alertToken: string;
    apiUrl: string | null;
    statusPageUrl: string | null;
    sftpEnabled: boolean;
    httpsUrl: string | null;
    /** Who may open the status page (Settings), and the panel's OpenID Connect issuer Gatus signs people in with. */
    access: StatusPageAccessService;
    issuer: string;
  };
  sftpEndpoint: SftpEndpoint;
  consoleTickets: ConsoleTickets;
  csrfKey: Buffer;
};

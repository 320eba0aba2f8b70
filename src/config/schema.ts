// The one configuration schema: every key, its default and what it means. Unknown keys are refused.
import { z } from 'zod';
import { isIp, isIpv4Range, isValidCidr } from '../shared/cidr.ts';

const cidr = z.string().refine(isValidCidr, { message: 'must be an IPv4/IPv6 address or CIDR range' });

const limiter = (points: number, durationSeconds: number, blockSeconds: number, what: string) =>
  z
    .strictObject({
      points: z.number().int().min(1).max(1_000_000).default(points).describe(`How many ${what} are allowed per window.`),
      durationSeconds: z.number().int().min(1).max(86_400).default(durationSeconds).describe('Length of the window in seconds.'),
      blockSeconds: z
        .number()
        .int()
        .min(0)
        .max(86_400)
        .default(blockSeconds)
        .describe('How long a key is blocked once it runs out of points (0: until the window ends). Repeated blocks double it, up to 24 h.'),
    })
    .prefault({})
    .describe(`Limit on ${what}.`);

const sqlConnection = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Database server host name or address.'),
  port: z.number().int().min(1).max(65535).optional().describe('Database server port (default of the engine when omitted).'),
  user: z.string().min(1).describe('Database user.'),
  password: z.string().default('').describe('Database password.'),
  database: z.string().min(1).describe('Database (schema) name.'),
  ssl: z.boolean().default(false).describe('Connect with TLS.'),
});

export const databaseSchema = z
  .discriminatedUnion('client', [
    z.strictObject({
      client: z.literal('sqlite').describe('Embedded SQLite database file.'),
      filename: z.string().min(1).default('database.db').describe('SQLite file, relative to dataDir unless absolute.'),
      busyTimeoutMs: z.number().int().min(0).max(600_000).default(5000).describe('How long a writer waits for a lock before failing.'),
    }),
    sqlConnection.extend({ client: z.literal('mysql').describe('MySQL or MariaDB server (mysql2).') }),
    sqlConnection.extend({ client: z.literal('postgres').describe('PostgreSQL server (pg).') }),
  ])
  .describe('Where the panel keeps its data.');

export const configSchema = z
  .strictObject({
    dataDir: z.string().min(1).default('data').describe('Directory for the database, keys and server data; relative to the config file.'),
    logDir: z
      .string()
      .min(1)
      .optional()
      .describe('Directory for panel.log and audit.log; relative to the config file. Default: <dataDir>/logs.'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Minimum level written to the logs.'),
    http: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1').describe('Address the web panel listens on. Use 0.0.0.0 behind a firewall or a TLS proxy.'),
        port: z.number().int().min(0).max(65535).default(8080).describe('TCP port of the web panel and API.'),
        trustedProxies: z
          .array(cidr)
          .max(256)
          .default([])
          .describe('Proxies (CIDRs) whose X-Forwarded-For and X-Forwarded-Proto headers are believed. Nobody else is.'),
        publicUrl: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe('Public origin of the panel (https://panel.example.com), used in printed links and Origin checks.'),
        bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024).describe('Largest JSON request body accepted.'),
      })
      .prefault({})
      .describe('The web panel and API listener.'),
    database: databaseSchema.default({ client: 'sqlite', filename: 'database.db', busyTimeoutMs: 5000 }),
    session: z
      .strictObject({
        idleTimeoutMinutes: z.number().int().min(1).max(24 * 60).default(30).describe('A session unused for this long is ended.'),
        absoluteTimeoutHours: z.number().int().min(1).max(24 * 30).default(12).describe('A session ends this long after login, used or not.'),
        sameSite: z
          .enum(['strict', 'lax'])
          .default('strict')
          .describe('SameSite attribute of the session cookie. strict keeps the cookie off every cross-site request.'),
      })
      .prefault({})
      .describe('Browser sessions.'),
    passwordPolicy: z
      .strictObject({
        minLength: z.number().int().min(8).max(256).default(12).describe('Minimum number of characters.'),
        maxLength: z.number().int().min(16).max(1024).default(256).describe('Maximum number of characters.'),
        minClasses: z.number().int().min(1).max(4).default(3).describe('How many of lower case, upper case, digits and symbols must appear.'),
        rejectCommon: z.boolean().default(true).describe('Refuse the 10,000 most common passwords.'),
        rejectPersonal: z.boolean().default(true).describe('Refuse passwords that contain the username or the e-mail name.'),
      })
      .prefault({})
      .describe('Rules every new password must meet.'),
    passwordHashing: z
      .strictObject({
        memoryCost: z.number().int().min(8192).max(1024 * 1024).default(19456).describe('argon2id memory in KiB.'),
        timeCost: z.number().int().min(1).max(20).default(2).describe('argon2id iterations.'),
        parallelism: z.number().int().min(1).max(16).default(1).describe('argon2id lanes.'),
        maxConcurrent: z
          .number()
          .int()
          .min(1)
          .max(64)
          .default(2)
          .describe('Hashes computed at once; the rest wait. Keep it below UV_THREADPOOL_SIZE (4 by default) so file I/O always has a worker.'),
        maxQueue: z.number().int().min(0).max(10_000).default(64).describe('Hashes allowed to wait; beyond that logins are refused with 429.'),
      })
      .prefault({})
      .describe('Password hashing cost and the cap that keeps a login flood from exhausting memory.'),
    rateLimits: z
      .strictObject({
        loginPerIp: limiter(30, 900, 900, 'failed logins from one IP address (an IPv6 /64 counts as one address)'),
        loginPerAccount: limiter(10, 900, 300, 'failed logins on one account, from any address'),
        loginPerIpAccount: limiter(5, 900, 60, 'failed logins on one account from one address'),
        apiPerIp: limiter(600, 60, 0, 'API requests from one IP address (an IPv6 /64 counts as one address)'),
        apiPerPrincipal: limiter(1200, 60, 0, 'API requests by one signed-in user or client'),
        twoFactorPerAccount: limiter(10, 900, 900, 'wrong two-factor codes on one account, from any address'),
        twoFactorPerIp: limiter(30, 900, 900, 'wrong two-factor codes from one IP address (an IPv6 /64 counts as one address)'),
        apiPerClient: limiter(600, 60, 0, 'API requests with the tokens of one OAuth2 client'),
        oauthFailuresPerIp: limiter(20, 900, 900, 'failed OAuth2 client authentications from one IP address (an IPv6 /64 counts as one address)'),
        oauthFailuresPerClient: limiter(10, 900, 300, 'failed authentications of one OAuth2 client, from any address'),
      })
      .prefault({})
      .describe('Rate limits. Keys are per address (IPv4 address, IPv6 /64) and per account: there is no global bucket.'),
    oauth: z
      .strictObject({
        defaultTokenTtlSeconds: z.number().int().min(60).max(86_400).default(3600).describe('Lifetime of an access token when the client sets none.'),
        maxTokenTtlSeconds: z.number().int().min(60).max(30 * 86_400).default(86_400).describe('The longest access-token lifetime a client may be given.'),
      })
      .prefault({})
      .describe('OAuth2 client credentials for API access (/oauth2/token).'),
    monitor: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Run the detection rules on the panel\'s own events.'),
        rulesDir: z.string().min(1).optional().describe('Directory of rule files (*.yml and *.local.yml). Default: the shipped rules/.'),
        neverBan: z.array(cidr).max(1024).default([]).describe('Addresses and CIDRs that are never banned (the admin IP allowlist never is either).'),
        sources: z
          .array(
            z.strictObject({
              path: z.string().min(1).describe('Log file to follow (e.g. /var/log/auth.log); rotation is followed.'),
              format: z.enum(['syslog', 'nginx', 'audit']).describe('syslog: sshd lines; nginx: combined access log; audit: an audit.log.'),
              year: z.number().int().min(1970).max(9999).optional().describe('Year of classic syslog timestamps (default: this year).'),
            }),
          )
          .max(64)
          .default([])
          .describe('Log files the monitor reads besides the panel\'s own events.'),
        pollIntervalMs: z.number().int().min(50).max(60_000).default(1000).describe('How often the log files are checked for new lines.'),
        banExportFile: z
          .string()
          .min(1)
          .optional()
          .describe('File rewritten with the banned addresses (one per line, IPv4 or IPv6 /64) whenever they change, for a host firewall (see README).'),
      })
      .prefault({})
      .describe('The security monitor: detections and bans.'),
    alerts: z
      .strictObject({
        retryBaseSeconds: z.number().min(0.1).max(3600).default(5).describe('First retry of a notification that could not be sent; each further retry waits twice as long.'),
        retryMaxSeconds: z.number().min(0.1).max(86_400).default(600).describe('The longest wait between two retries.'),
        expireHours: z.number().positive().max(720).default(24).describe('A notification not delivered within this long is given up (shown as expired on its alert).'),
        pollSeconds: z.number().min(0.1).max(300).default(5).describe('How often notifications due for a retry are looked for (new ones go at once).'),
        sendTimeoutSeconds: z.number().min(1).max(120).default(15).describe('One delivery attempt gives up after this long.'),
        retentionDays: z.number().int().min(1).max(3650).default(365).describe('Resolved alerts, and notifications no longer waiting to be sent, are deleted after this many days.'),
      })
      .prefault({})
      .describe('Alert notifications: the outbox every notification is written to before it is sent, and its retries.'),
    resources: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Sample the host (CPU, memory, swap, disks, load, disk and network rates), keep its history and evaluate the resource threshold rules.'),
        intervalSeconds: z.number().int().min(2).max(300).default(10).describe('Seconds between two samples of the host; the history keeps at most one sample per 10 seconds.'),
        rulesDir: z.string().min(1).optional().describe('Directory of resource threshold rules (*.yml and *.local.yml). Default: the shipped rules/resources/.'),
      })
      .prefault({})
      .describe('Host resource monitoring: samples, history and threshold alerts.'),
    servers: z
      .strictObject({
        dataDir: z.string().min(1).optional().describe('Directory holding each server\'s data directory. Default: <dataDir>/servers.'),
        dockerSocket: z.string().min(1).default('/var/run/docker.sock').describe('The local Docker Engine\'s socket (the "local" node).'),
        publicIp: z
          .string()
          .refine(isIp, { message: 'must be an IP address' })
          .default('0.0.0.0')
          .describe('Address the local node publishes servers\' ports on.'),
        portRange: z
          .strictObject({ min: z.number().int().min(1024).max(65535), max: z.number().int().min(1024).max(65535) })
          .refine((r) => r.min <= r.max, { message: 'min must not be above max' })
          .default({ min: 25565, max: 26565 })
          .describe('Host ports the local node hands to servers.'),
        networkPool: z
          .string()
          .refine((v) => isIpv4Range(v, 28), { message: 'must be an IPv4 range of /28 or larger, like 10.213.0.0/16' })
          .default('10.213.0.0/16')
          .describe('Addresses for servers\' own networks, on every node: each server gets a /28 of it (4,096 in a /16). Choose a range your LAN and VPNs do not use.'),
        maxLimits: z
          .strictObject({
            memoryMb: z.number().int().min(16).default(65_536),
            cpu: z.number().positive().default(64),
            pids: z.number().int().min(16).default(32_768),
            diskMb: z.number().int().min(16).default(1_048_576),
          })
          .prefault({})
          .describe('The most any one server may be given.'),
        restartBaseSeconds: z.number().min(0.1).max(3600).default(5).describe('First automatic restart of a crashed server (restart policy on-crash) after this long; doubled per crash in a row.'),
        restartMaxSeconds: z.number().min(1).max(86_400).default(300).describe('The longest wait before an automatic restart.'),
        diskCheckSeconds: z.number().min(1).max(3600).default(30).describe('How often running servers\' data directories are measured: one over its disk limit is stopped (and cannot start until it is back under it).'),
      })
      .prefault({})
      .describe('Game and application servers in Docker containers.'),
    sftp: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Serve SFTP into each server\'s files.'),
        host: z.string().min(1).default('0.0.0.0').describe('Address SFTP listens on.'),
        port: z.number().int().min(0).max(65535).default(5657).describe('TCP port of SFTP (AETHER_SFTP_PORT overrides it).'),
        recheckSeconds: z.number().min(0.5).max(60).default(2).describe('How often an open session\'s user, credential and scopes are checked again (it ends when they no longer allow it).'),
      })
      .prefault({})
      .describe('SFTP into servers\' files: user name <username>.<server short id>.'),
    files: z
      .strictObject({
        maxUploadBytes: z.number().int().min(1024).max(1024 ** 4).default(4 * 1024 ** 3).describe('Largest file one upload may write (the server\'s disk limit applies besides).'),
        maxEditBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(5 * 1024 * 1024).describe('Largest file the text editor opens and saves.'),
        maxExtractBytes: z.number().int().min(1024).max(1024 ** 4).default(16 * 1024 ** 3).describe('Most bytes one archive may expand to (the server\'s disk limit applies besides): larger ones are refused before anything is written.'),
        maxExtractEntries: z.number().int().min(1).max(10_000_000).default(200_000).describe('Most files and directories one archive may hold.'),
      })
      .prefault({})
      .describe('The file manager (HTTP) and SFTP.'),
    gatus: z
      .strictObject({
        apiUrl: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default(null)
          .describe('Gatus as the panel reaches it (http://gatus:8081 in the compose file): its state is re-read before an alert it sends is believed. null: alerts are taken as sent.'),
        configPath: z.string().min(1).nullable().default(null).describe('Where the panel writes Gatus\'s configuration (relative to the config file); null: it is not written.'),
        panelUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080').describe('The panel as Gatus reaches it.'),
        statusPageUrl: z.url({ protocol: /^https?$/ }).nullable().default(null).describe('The status page as people open it (e.g. https://status.example.com or http://host:8081), linked from the dashboard; null: no link.'),
        alertUrl: z.url({ protocol: /^https?$/ }).nullable().default(null).describe('Where Gatus posts its alerts (the panel\'s /gatus/alerts as Gatus reaches it); null: Gatus sends none.'),
        serversHost: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:-]+$/).default('127.0.0.1').describe('The host servers\' public ports are checked on, as Gatus reaches it.'),
        webPort: z.number().int().min(1).max(65535).default(8081).describe('Port of the status page.'),
        storagePath: z.string().min(1).default('/data/gatus.db').describe('Gatus\'s SQLite file (inside Gatus\'s container).'),
        access: z
          .discriminatedUnion('kind', [
            z.strictObject({ kind: z.literal('public') }),
            z.strictObject({ kind: z.literal('basic'), username: z.string().min(1).max(64), passwordBcryptBase64Env: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/) }),
            z.strictObject({ kind: z.literal('panel') }),
          ])
          .default({ kind: 'public' })
          .describe('Who may see the status page: everyone, basic auth (the bcrypt hash, base64, from Gatus\'s environment), or people signed in to the panel (OpenID Connect through the panel; needs statusPageUrl). Settings in the panel override it.'),
      })
      .prefault({})
      .describe('The uptime page (Gatus) beside the panel.'),
    backup: z
      .strictObject({
        dir: z.string().min(1).default('backups').describe('Directory the backups are written to; relative to the config file. Keep it off the data directory\'s disk if you can.'),
        recipients: z
          .array(z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'must be an age X25519 recipient (age1…)'))
          .max(20)
          .default([])
          .describe('age recipients backups are encrypted to (aether backup keygen makes one; keep its identity off this machine). Without any, AETHER_BACKUP_PASSPHRASE is used.'),
        offsiteSftp: z
          .strictObject({
            host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or address'),
            port: z.number().int().min(1).max(65535).default(22),
            user: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'must be a user name'),
            keyFile: z.string().regex(/^\//, 'must be an absolute path').describe('The private key the panel logs in with (readable by the panel only).'),
            hostKey: z
              .string()
              .regex(/^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+( .*)?$/, 'must be the host\'s public key line, e.g. from /etc/ssh/ssh_host_ed25519_key.pub')
              .describe('The SFTP host\'s public key line: any other key is refused (no trust on first use).'),
            dir: z.string().min(1).max(1024).regex(/^[^\n\r"]+$/, 'must be a directory path').default('aether-backups').describe('Directory on the host the backups go to.'),
          })
          .optional()
          .describe('An SFTP server every backup is copied to (with the OpenSSH sftp client), pruned as the backup directory is.'),
        perServer: z.number().int().min(1).max(1000).default(10).describe('Most backups one server may keep (made from its page; the oldest must be deleted for more).'),
        offsiteDir: z
          .string()
          .regex(/^\//, 'must be an absolute path')
          .optional()
          .describe('A second directory, absolute (a mounted network or removable disk), every backup is copied to; pruned as the backup directory is.'),
        schedule: z
          .strictObject({
            enabled: z.boolean().default(true).describe('Make backups on schedule (only once recipients or a passphrase are set).'),
            dailyAtUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default('03:00').describe('Daily backup of the database, config and keys (HH:MM, UTC).'),
            weeklyOn: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']).default('sunday').describe('Day of the weekly backup that also holds every server\'s files.'),
            weeklyAtUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default('04:00').describe('Time of the weekly backup (HH:MM, UTC).'),
            restoreTestDays: z.number().int().min(0).max(90).default(7).describe('Every this many days the newest backup is restored into a temporary directory and checked (0: never).'),
          })
          .prefault({})
          .describe('When backups are made and tested.'),
        retention: z
          .strictObject({
            daily: z.number().int().min(1).max(366).default(7).describe('Newest scheduled backup of each of this many last days.'),
            weekly: z.number().int().min(0).max(520).default(4).describe('… of each of this many last ISO weeks.'),
            monthly: z.number().int().min(0).max(240).default(12).describe('… of each of this many last months.'),
          })
          .prefault({})
          .describe('Which scheduled backups are kept (made by hand ones are kept until deleted).'),
      })
      .prefault({})
      .describe('Encrypted backups of the panel (database, config, keys) and of servers\' files.'),
    redis: z
      .strictObject({
        url: z
          .string()
          .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
          .nullable()
          .default(null)
          .describe('A Redis every replica of the panel shares (AETHER_REDIS_URL): rate-limit counters and blocks are kept there. null: in this process\'s memory.'),
        keyPrefix: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/).default('aether').describe('Prefix of every key the panel writes in Redis.'),
      })
      .prefault({})
      .describe('Shared counters for several panel replicas.'),
    security: z
      .strictObject({
        adminAllowlist: z
          .array(cidr)
          .max(1024)
          .default([])
          .describe('If not empty, anyone holding the admin scope may only use the panel from these CIDRs (added to those set in the panel).'),
        require2fa: z
          .enum(['none', 'admins', 'all'])
          .default('admins')
          .describe(
            'Who must use two-factor authentication, at least: nobody, holders of the admin scope, or every user. The panel setting can require more, never less.',
          ),
        totpIssuer: z.string().min(1).max(64).default('Aether Panel').describe('Issuer name shown in authenticator apps.'),
        totpEncryptionKey: z
          .string()
          .regex(/^[A-Za-z0-9+/]{43}=?$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')
          .optional()
          .describe('Key that encrypts TOTP secrets at rest (32 bytes, base64; AETHER_TOTP_KEY). Default: <dataDir>/keys/totp.key, created on first start.'),
      })
      .prefault({})
      .describe('Access restrictions.'),
    checklist: z
      .strictObject({
        releaseFeedUrl: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default('https://api.github.com/repos/aether-panel/aether-panel/releases/latest')
          .describe('JSON feed of the latest release ({"tag_name": "v1.2.3"} as GitHub answers, or {"version": "1.2.3"}); null: the panel version is not checked.'),
        networkTimeoutSeconds: z.number().min(0.5).max(30).default(3).describe('How long the release feed, the HTTPS certificate and the panel\'s /healthz are waited for.'),
        commandTimeoutSeconds: z.number().min(1).max(120).default(20).describe('How long a system command (apt-get -s, sshd -T, ufw, fail2ban-client, ...) may run before it is stopped.'),
        clientSecretMaxAgeDays: z.number().int().min(1).max(3650).default(90).describe('An OAuth2 client secret older than this should be regenerated.'),
        unusedAccountDays: z.number().int().min(1).max(3650).default(90).describe('An enabled account without a sign-in for this long counts as unused.'),
        maxAdmins: z.number().int().min(1).max(100).default(3).describe('More enabled administrators than this is reported as too many.'),
        sshdConfig: z.string().min(1).default('/etc/ssh/sshd_config').describe('The SSH server\'s configuration file (its Include lines are followed).'),
        letsencryptDir: z.string().min(1).default('/etc/letsencrypt').describe('Certbot\'s directory: its certificates and renewal-hooks/deploy/.'),
      })
      .prefault({})
      .describe('The security checklist (aether check, Security checklist page): where it looks and what it accepts.'),
  })
  .describe('Aether Panel configuration (config.json).');

export type Config = z.infer<typeof configSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;

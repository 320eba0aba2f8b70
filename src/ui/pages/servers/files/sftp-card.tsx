// How to reach this server's files over SFTP: the command with the user name "<username>.<server short id>", the
// port, and the host key's fingerprint to compare on the first connection.
import type { SftpEndpoint } from '../../../api/files.api.ts';
import type { Server } from '../../../api/servers.types.ts';
import { Link } from '../../../router/link.tsx';
import { useSession } from '../../../session/session-context.ts';

export function SftpCard({ server, endpoint }: { server: Server; endpoint: SftpEndpoint | null }) {
  const { user } = useSession();
  if (!endpoint || !user) return null;
  if (!endpoint.enabled || endpoint.port === null) {
    return (
      <p class="muted small" data-testid="sftp-off">
        SFTP is off on this panel (sftp.enabled in the configuration).
      </p>
    );
  }
  const host = endpoint.host ?? window.location.hostname;
  const login = `${user.username}.${server.shortId}`;
  return (
    <details class="card sftp-card" data-testid="sftp-card">
      <summary>
        <strong>SFTP</strong>{' '}
        <span class="mono small" data-testid="sftp-command">
          sftp -P {endpoint.port} {login}@{host}
        </span>
      </summary>
      <dl class="facts">
        <dt>Host and port</dt>
        <dd class="mono">
          {host}:{endpoint.port}
        </dd>
        <dt>User name</dt>
        <dd class="mono">{login}</dd>
        <dt>Host key</dt>
        <dd class="mono small" data-testid="sftp-fingerprint">
          ED25519 {endpoint.hostKeyFingerprint}
        </dd>
      </dl>
      <p class="muted small">
        Check that your client shows this host key the first time it connects. Sign in with your panel password
        {user.twoFactorEnabled ? ' (not with two-factor authentication on: use an SSH key or an SFTP app password)' : ''}, an SSH key or an SFTP app password:{' '}
        <Link href="/account">manage them in My account</Link>.
      </p>
    </details>
  );
}

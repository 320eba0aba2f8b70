// A server's public TCP ports as the uptime page checks them: read when the card comes into view or the server changes
// state. Nothing is shown where the panel does not know Gatus or the server has no TCP port.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ServerState } from '../../api/servers.types.ts';
import { getServerUptime, type ServerUptime } from '../../api/uptime.api.ts';
import { UptimeFigures } from './uptime-badge.tsx';

export function ServerUptimeFacts({ serverId, state, inView }: { serverId: string; state: ServerState; inView: boolean }) {
  const [uptime, setUptime] = useState<ServerUptime | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    if (!inView) return;
    const run = ++latest.current;
    // Uptime is a nicety on the card: when it cannot be read, the card simply goes without it.
    getServerUptime(serverId).then(
      (value) => run === latest.current && setUptime(value),
      () => run === latest.current && setUptime(null),
    );
  }, [serverId, state, inView]);
  if (!uptime?.available || uptime.items.length === 0) return null;
  return (
    <>
      <dt>Uptime</dt>
      <dd data-testid="server-uptime">
        {uptime.items.map((item) => (
          <div key={item.key} data-testid="server-uptime-port">
            <span class="mono">{item.port}</span> <UptimeFigures {...item} />
          </div>
        ))}
      </dd>
    </>
  );
}

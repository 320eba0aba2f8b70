// The console of a server: connection status, the output, and the command line for those who may send commands.
import type { Server } from '../../api/servers.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { LiveStatus } from '../../components/live-status.tsx';
import { CommandInput } from './command-input.tsx';
import type { ConsoleBuffer } from './console-buffer.ts';
import { ConsoleOutput } from './console-output.tsx';
import type { ConsoleConnection } from './use-console-socket.ts';

type ServerConsoleProps = {
  server: Server;
  buffer: ConsoleBuffer;
  connection: ConsoleConnection;
  canSend: boolean;
  /** The last thing the console refused (a command), or null. */
  error: string | null;
  onSend: (command: string) => boolean;
};

const consoleLabels = { live: 'Connected', closed: 'Disconnected' };

export function ServerConsole({ server, buffer, connection, canSend, error, onSend }: ServerConsoleProps) {
  const stopped = server.state === 'stopped' || server.state === 'crashed';
  const why = connection.state !== 'live' ? 'The console is not connected.' : stopped ? 'Start the server to send commands.' : undefined;
  return (
    <section class="servers-section" aria-labelledby="console-title">
      <div class="section-head">
        <h2 id="console-title">Console</h2>
        <div class="section-tools">
          <LiveStatus state={connection.state} reason={connection.reason} onReconnect={connection.reconnect} labels={consoleLabels} testIdPrefix="console-live" />
        </div>
      </div>
      <div class="console" data-testid="console">
        <ConsoleOutput buffer={buffer} label={`Console output of ${server.name}`} />
        {canSend ? (
          <CommandInput onSend={onSend} disabled={why !== undefined} disabledHint={why} />
        ) : (
          <p class="console-note" data-testid="console-read-only">
            You can read the console but not send commands; that needs the server.console.send permission.
          </p>
        )}
      </div>
      <ErrorMessage message={error} />
    </section>
  );
}

// Shows a client's new secret once, with Copy and a ready curl command for a token, until the user says they are done.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClientSecret } from '../../api/types.ts';
import { copyText, selectText } from '../../util/clipboard.ts';
import { formatDuration } from '../../util/format.ts';
import { tokenRequestCommand } from './token-request.ts';

type ClientSecretPanelProps = {
  result: ApiClientSecret;
  /** Whether the client was just created or got a new secret in place of its old one. */
  kind: 'created' | 'regenerated';
  /** Absolute URL of the token endpoint; the curl command is left out while it is unknown. */
  tokenUrl: string | null;
  onDone: () => void;
};

const COPY_UNAVAILABLE = 'Copying is not available in this browser. The secret is selected: press Ctrl+C (⌘C on a Mac) to copy it.';

export function ClientSecretPanel({ result, kind, tokenUrl, onDone }: ClientSecretPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const secret = useRef<HTMLElement>(null);
  const [copyMessage, setCopyMessage] = useState<string | null>(null);
  const { client, clientId, clientSecret } = result;

  useEffect(() => {
    // Keyboard and screen-reader users continue from the heading. Deferred: a confirmation dialog that closes in the same
    // update hands focus back to the button that opened it, which would otherwise win.
    const timer = window.setTimeout(() => heading.current?.focus(), 0);
    return () => window.clearTimeout(timer);
  }, []);

  const copy = async () => {
    if (await copyText(clientSecret)) {
      setCopyMessage('The secret was copied to the clipboard.');
      return;
    }
    if (secret.current) selectText(secret.current);
    setCopyMessage(COPY_UNAVAILABLE);
  };

  return (
    <section class="card stack secret-panel" aria-labelledby="client-secret-title" data-testid="client-secret-panel">
      <h2 id="client-secret-title" ref={heading} tabIndex={-1}>
        {kind === 'created' ? `Client ${client.name} was created` : `New secret for ${client.name}`}
      </h2>
      <p class="alert alert-warning">
        <strong>The secret is shown only now and cannot be seen again.</strong> Store it where the script or tool reads it, such as a
        password manager or your CI's secret store. If it is lost, regenerate it.
        {kind === 'regenerated' ? ' The old secret no longer works and the tokens got with it were revoked.' : ''}
      </p>
      <dl class="facts">
        <dt>Client ID</dt>
        <dd class="mono" data-testid="client-secret-id">
          {clientId}
        </dd>
        <dt>Client secret</dt>
        <dd>
          <code ref={secret} class="secret-key" data-testid="client-secret">
            {clientSecret}
          </code>
        </dd>
      </dl>
      <div class="form-actions">
        <button type="button" class="btn" onClick={copy} data-testid="client-secret-copy">
          Copy secret
        </button>
      </div>
      {copyMessage ? (
        <p class="alert alert-info" role="status" data-testid="client-secret-copy-status">
          {copyMessage}
        </p>
      ) : null}
      {tokenUrl ? (
        <div class="field">
          <p class="field-label" id="client-secret-curl-label">
            Get an access token
          </p>
          <pre class="command" aria-labelledby="client-secret-curl-label" data-testid="client-secret-curl">
            {tokenRequestCommand(tokenUrl, clientId, clientSecret)}
          </pre>
          <p class="field-hint">
            Send the access_token from the answer as <code>Authorization: Bearer …</code>. Each token expires after{' '}
            {formatDuration(client.tokenTtl)}; then ask for a new one. Typed in a shell, the secret ends up in its history: in scripts,
            read it from a file or an environment variable.
          </p>
        </div>
      ) : null}
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onDone} data-testid="client-secret-done">
          Done
        </button>
      </div>
    </section>
  );
}

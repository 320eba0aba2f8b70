// The connection settings of a channel, by type: SMTP server and addresses, a webhook URL and its signing secret, or a URL.
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';
import { TextareaField } from '../../components/textarea-field.tsx';
import { randomSecret } from '../../util/random-secret.ts';
import type { ChannelDraft, StartTls } from './channel-input.ts';

type ChannelConfigFieldsProps = {
  draft: ChannelDraft;
  set: <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) => void;
};

const starttlsOptions: { value: StartTls; label: string }[] = [
  { value: 'required', label: 'Required (fail without TLS)' },
  { value: 'opportunistic', label: 'Opportunistic (when offered)' },
  { value: 'off', label: 'Off (plain text)' },
];

function EmailFields({ draft, set }: ChannelConfigFieldsProps) {
  return (
    <>
      <div class="form-grid">
        <TextField label="SMTP host" value={draft.host} onValue={(v) => set('host', v)} testId="channel-form-host" autoComplete="off" required maxLength={253} />
        <TextField
          label="Port"
          type="number"
          value={draft.port}
          onValue={(v) => set('port', v)}
          testId="channel-form-port"
          hint="587 with STARTTLS, 465 with TLS from the start, 25 for a local relay."
          min={1}
          max={65535}
          step={1}
          required
        />
        <SelectField
          label="STARTTLS"
          value={draft.starttls}
          onValue={(v) => set('starttls', v as StartTls)}
          options={starttlsOptions}
          testId="channel-form-starttls"
          disabled={draft.secure}
          hint={draft.secure ? 'Not used: the connection is TLS from the start.' : 'Upgrade of a plain connection to TLS.'}
        />
      </div>
      <CheckboxField
        label="TLS from the first byte (implicit TLS)"
        description="Usually with port 465."
        checked={draft.secure}
        onChecked={(v) => set('secure', v)}
        testId="channel-form-secure"
      />
      <div class="form-grid">
        <TextField label="From" type="email" value={draft.from} onValue={(v) => set('from', v)} testId="channel-form-from" placeholder="alerts@example.com" required maxLength={254} />
        <TextField
          label="To"
          value={draft.to}
          onValue={(v) => set('to', v)}
          testId="channel-form-to"
          placeholder="oncall@example.com, admin@example.com"
          hint="One to twenty addresses, separated by commas."
          required
        />
        <TextField
          label="SMTP user (optional)"
          value={draft.authUser}
          onValue={(v) => set('authUser', v)}
          testId="channel-form-auth-user"
          autoComplete="off"
          hint="Credentials are only sent over TLS."
          maxLength={256}
        />
        <TextField
          label="SMTP password"
          type="password"
          value={draft.authPass}
          onValue={(v) => set('authPass', v)}
          testId="channel-form-auth-pass"
          autoComplete="new-password"
          disabled={!draft.authUser.trim()}
          maxLength={1024}
        />
      </div>
      <TextareaField
        label="Private CA certificate (optional)"
        value={draft.ca}
        onValue={(v) => set('ca', v)}
        testId="channel-form-ca"
        rows={3}
        placeholder="-----BEGIN CERTIFICATE-----"
        hint="PEM certificate(s) to trust for this server's TLS instead of the public CAs."
      />
    </>
  );
}

function WebhookFields({ draft, set }: ChannelConfigFieldsProps) {
  return (
    <div class="form-grid">
      <TextField
        label="URL"
        value={draft.url}
        onValue={(v) => set('url', v)}
        testId="channel-form-url"
        placeholder="https://receiver.example.com/aether"
        hint="Each notification is POSTed there as JSON."
        autoComplete="off"
        required
        maxLength={2048}
      />
      <div class="field-with-action">
        <TextField
          label="Signing secret"
          value={draft.secret}
          onValue={(v) => set('secret', v)}
          testId="channel-form-secret"
          autoComplete="off"
          hint="At least 16 characters. The receiver checks X-Aether-Signature: sha256= the HMAC-SHA256 of the body with this key. Keep a copy: it is never shown again."
          minLength={16}
          maxLength={1024}
          required
        />
        <button type="button" class="btn" onClick={() => set('secret', randomSecret())} data-testid="channel-form-generate">
          Generate
        </button>
      </div>
    </div>
  );
}

function UrlField({ draft, set, hint }: ChannelConfigFieldsProps & { hint: string }) {
  return (
    <TextField
      label="Webhook URL"
      value={draft.url}
      onValue={(v) => set('url', v)}
      testId="channel-form-url"
      hint={hint}
      autoComplete="off"
      required
      maxLength={2048}
    />
  );
}

export function ChannelConfigFields({ draft, set }: ChannelConfigFieldsProps) {
  switch (draft.type) {
    case 'email':
      return <EmailFields draft={draft} set={set} />;
    case 'webhook':
      return <WebhookFields draft={draft} set={set} />;
    case 'discord':
      return <UrlField draft={draft} set={set} hint="Server settings → Integrations → Webhooks. The URL holds the webhook's token: it is never shown again." />;
    case 'slack':
      return <UrlField draft={draft} set={set} hint="An incoming webhook URL (https://hooks.slack.com/services/…); it holds a token and is never shown again." />;
    default:
      return (
        <TextareaField
          label="Config (JSON)"
          value={draft.json}
          onValue={(v) => set('json', v)}
          testId="channel-form-json"
          rows={6}
          hint="This type has no form here: enter its config as a JSON object (see the API documentation)."
        />
      );
  }
}

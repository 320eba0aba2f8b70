// My SFTP credentials: SSH public keys (ed25519, ECDSA, RSA of 3072 bits or more) and SFTP app passwords, which users
// with two-factor authentication need because SFTP refuses their account password. Adding either asks for the
// account password; an app password is shown once. Removing one ends the SFTP sessions opened with it.
import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { addMySshKey, createMySftpPassword, listMySftpPasswords, listMySshKeys, removeMySshKey, revokeMySftpPassword } from '../../api/account.api.ts';
import { describeError } from '../../api/api-error.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { TextField } from '../../components/text-field.tsx';
import { TextareaField } from '../../components/textarea-field.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { useSession } from '../../session/session-context.ts';
import { copyText, selectText } from '../../util/clipboard.ts';

const keyType = (type: string, bits: number) => (type === 'ssh-ed25519' ? 'Ed25519' : type.startsWith('ecdsa') ? `ECDSA ${bits}` : `RSA ${bits}`);

function SshKeys() {
  const keys = useLoad(listMySshKeys);
  const rows = useRowActions();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    rows.setNotice(null);
    try {
      const key = await addMySshKey(name.trim(), publicKey.trim(), password);
      keys.setData((prev) => [...(prev ?? []), key]);
      setName('');
      setPublicKey('');
      setPassword('');
      rows.setNotice(`Key ${key.fingerprint} added.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card stack" data-testid="ssh-keys">
      <h3>SSH keys</h3>
      {keys.loading && !keys.data ? <Loading /> : null}
      <ErrorMessage message={keys.error ?? rows.error} />
      <Notice message={rows.notice} />
      {keys.data ? (
        keys.data.length === 0 ? (
          <p class="muted" data-testid="ssh-keys-empty">
            No keys yet.
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table table-compact">
              <caption class="visually-hidden">Your SSH keys</caption>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Added</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((k) => (
                  <tr key={k.id} data-testid="ssh-key-row">
                    <th scope="row" class="cell-wrap">
                      {k.name || <span class="muted">Unnamed</span>} <span class="badge badge-neutral badge-inline">{keyType(k.type, k.bits)}</span>
                      <div class="mono small muted" data-testid="ssh-key-fingerprint">
                        {k.fingerprint}
                      </div>
                    </th>
                    <td>
                      <TimeText iso={k.createdAt} />
                    </td>
                    <td>{k.lastUsedAt ? <TimeText iso={k.lastUsedAt} /> : <span class="muted">Never</span>}</td>
                    <td>
                      <button
                        type="button"
                        class="btn btn-small btn-danger-outline"
                        disabled={rows.busyId === k.id}
                        onClick={() =>
                          rows.run(k.id, async () => {
                            await removeMySshKey(k.id);
                            keys.setData((prev) => (prev ?? []).filter((x) => x.id !== k.id));
                            return `Key ${k.fingerprint} removed; SFTP sessions opened with it were ended.`;
                          })
                        }
                        data-testid="ssh-key-remove"
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <form class="form subcard form-narrow" onSubmit={add} data-testid="ssh-key-form">
        <TextareaField
          label="Public key"
          value={publicKey}
          onValue={setPublicKey}
          rows={3}
          placeholder="ssh-ed25519 AAAA… you@laptop"
          hint="The one line of your .pub file (ssh-keygen -t ed25519 makes one). Ed25519, ECDSA, or RSA of at least 3072 bits."
          testId="ssh-key-public"
        />
        <TextField label="Name" value={name} onValue={setName} maxLength={100} hint="Optional; the key's comment is used when empty." testId="ssh-key-name" />
        <TextField label="Your password" type="password" value={password} onValue={setPassword} autoComplete="current-password" required testId="ssh-key-password" />
        <ErrorMessage message={error} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy || !publicKey.trim() || !password} data-testid="ssh-key-add">
            {busy ? 'Adding…' : 'Add key'}
          </button>
        </div>
      </form>
    </div>
  );
}

function AppPasswords() {
  const items = useLoad(listMySftpPasswords);
  const rows = useRowActions();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<{ name: string; password: string } | null>(null);
  const [copyMessage, setCopyMessage] = useState<string | null>(null);
  const secret = useRef<HTMLElement>(null);

  const create = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    rows.setNotice(null);
    setCopyMessage(null);
    try {
      const res = await createMySftpPassword(name.trim(), password);
      items.setData((prev) => [...(prev ?? []), res.appPassword]);
      setMade({ name: res.appPassword.name, password: res.password });
      setName('');
      setPassword('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!made) return;
    if (await copyText(made.password)) return setCopyMessage('The app password was copied to the clipboard.');
    if (secret.current) selectText(secret.current);
    setCopyMessage('Copying is not available in this browser. The password is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
  };

  return (
    <div class="card stack" data-testid="sftp-passwords">
      <h3>SFTP app passwords</h3>
      <p class="muted small">For SFTP clients only: they cannot sign in to the panel. Make one per client, and revoke it when the client is gone.</p>
      {made ? (
        <div class="secret-panel stack" data-testid="sftp-password-made">
          <p class="alert alert-warning">
            <strong>App password {made.name}: shown only now.</strong> Put it in your SFTP client or its password store.
          </p>
          <code ref={secret} class="secret-key" data-testid="sftp-password-value">
            {made.password}
          </code>
          <div class="form-actions">
            <button type="button" class="btn" onClick={copy}>
              Copy
            </button>
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                setMade(null);
                setCopyMessage(null);
              }}
              data-testid="sftp-password-done"
            >
              Done
            </button>
          </div>
          <Notice message={copyMessage} kind="info" />
        </div>
      ) : null}
      {items.loading && !items.data ? <Loading /> : null}
      <ErrorMessage message={items.error ?? rows.error} />
      <Notice message={rows.notice} />
      {items.data && items.data.length > 0 ? (
        <div class="table-wrap">
          <table class="table table-compact">
            <caption class="visually-hidden">Your SFTP app passwords</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Made</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((p) => (
                <tr key={p.id} data-testid="sftp-password-row">
                  <th scope="row">{p.name}</th>
                  <td>
                    <TimeText iso={p.createdAt} />
                  </td>
                  <td>{p.lastUsedAt ? <TimeText iso={p.lastUsedAt} /> : <span class="muted">Never</span>}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-small btn-danger-outline"
                      disabled={rows.busyId === p.id}
                      onClick={() =>
                        rows.run(p.id, async () => {
                          await revokeMySftpPassword(p.id);
                          items.setData((prev) => (prev ?? []).filter((x) => x.id !== p.id));
                          return `App password ${p.name} revoked; SFTP sessions opened with it were ended.`;
                        })
                      }
                      data-testid="sftp-password-revoke"
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : items.data ? (
        <p class="muted">No app passwords yet.</p>
      ) : null}
      <form class="form subcard form-narrow" onSubmit={create} data-testid="sftp-password-form">
        <TextField label="Name" value={name} onValue={setName} maxLength={100} required placeholder="FileZilla on my laptop" testId="sftp-password-name" />
        <TextField label="Your password" type="password" value={password} onValue={setPassword} autoComplete="current-password" required testId="sftp-password-current" />
        <ErrorMessage message={error} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy || !name.trim() || !password} data-testid="sftp-password-create">
            {busy ? 'Making…' : 'Make app password'}
          </button>
        </div>
      </form>
    </div>
  );
}

export function SftpAccess() {
  const { user } = useSession();
  return (
    <section class="section" aria-labelledby="sftp-access-title" data-testid="sftp-access">
      <div class="section-head">
        <h2 id="sftp-access-title">SFTP access</h2>
      </div>
      <p class="muted">
        Sign in to a server's files with the user name <span class="mono">{`${user?.username ?? 'you'}.<server id>`}</span> (shown on each server's Files tab), on the SFTP port.
        {user?.twoFactorEnabled
          ? ' Two-factor authentication is on for your account, so SFTP does not take your account password: use an SSH key or an app password.'
          : ' Your account password works, and so do SSH keys and app passwords.'}
      </p>
      <div class="stack">
        <SshKeys />
        <AppPasswords />
      </div>
    </section>
  );
}

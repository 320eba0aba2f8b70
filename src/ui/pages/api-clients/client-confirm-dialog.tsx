// The one confirmation dialog of the API clients page, saying what each row action does to the client and its tokens.
import type { ComponentChildren } from 'preact';
import type { ApiClient } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import type { ClientAction } from './client-row.tsx';

export type PendingClientConfirm = { action: ClientAction; client: ApiClient };

type ClientConfirmDialogProps = {
  pending: PendingClientConfirm | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

type Wording = { title: string; confirmLabel: string; danger: boolean; body: ComponentChildren };

const activeNow = (count: number) => (count === 1 ? '1 is active now' : `${count} are active now`);

function wording({ action, client }: PendingClientConfirm): Wording {
  const name = <strong>{client.name}</strong>;
  switch (action) {
    case 'regenerate':
      return {
        title: 'Regenerate secret?',
        confirmLabel: 'Regenerate secret',
        danger: true,
        body: (
          <p>
            {name} gets a new secret. The current secret stops working at once and every token of the client is revoked, so scripts
            using it fail until they are given the new secret.
          </p>
        ),
      };
    case 'revoke-tokens':
      return {
        title: 'Revoke tokens?',
        confirmLabel: 'Revoke tokens',
        danger: true,
        body: (
          <p>
            Every token of {name} stops working at once ({activeNow(client.activeTokens)}). The secret stays valid, so its scripts can get
            new tokens.
          </p>
        ),
      };
    case 'toggle-disabled':
      return client.disabled
        ? {
            title: 'Enable client?',
            confirmLabel: 'Enable client',
            danger: false,
            body: <p>{name} can get tokens again with its current secret.</p>,
          }
        : {
            title: 'Disable client?',
            confirmLabel: 'Disable client',
            danger: true,
            body: (
              <p>
                Every token of {name} is revoked and it gets no new tokens until you enable it again. Its secret is kept.
              </p>
            ),
          };
    case 'delete':
      return {
        title: 'Delete client?',
        confirmLabel: 'Delete client',
        danger: true,
        body: (
          <p>
            {name} will be deleted and every token of it revoked; scripts using it stop working. This cannot be undone.
          </p>
        ),
      };
  }
}

export function ClientConfirmDialog({ pending, busy, onConfirm, onCancel }: ClientConfirmDialogProps) {
  const text = pending ? wording(pending) : null;
  return (
    <ConfirmDialog
      open={pending !== null}
      title={text?.title ?? ''}
      confirmLabel={text?.confirmLabel ?? ''}
      danger={text?.danger ?? false}
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {text?.body}
    </ConfirmDialog>
  );
}

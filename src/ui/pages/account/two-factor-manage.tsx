// Actions while 2FA is on: generate new recovery codes (shown once) or turn 2FA off.
import { useRef, useState } from 'preact/hooks';
import type { TwoFactorStatus } from '../../api/types.ts';
import { RecoveryCodes } from '../../components/recovery-codes.tsx';
import { useSession } from '../../session/session-context.ts';
import { DisableTwoFactorForm } from './disable-two-factor-form.tsx';
import { RegenerateCodesForm } from './regenerate-codes-form.tsx';

type TwoFactorManageProps = {
  status: TwoFactorStatus;
  /** New recovery codes were made and the user has acknowledged them. */
  onCodesReplaced: () => void;
  onDisabled: (result: { twoFactorSetupRequired: boolean }) => void;
};

type Panel = { kind: 'none' } | { kind: 'regenerate' } | { kind: 'disable' } | { kind: 'codes'; codes: string[] };

export function TwoFactorManage({ status, onCodesReplaced, onDisabled }: TwoFactorManageProps) {
  const session = useSession();
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const regenerateButton = useRef<HTMLButtonElement>(null);
  const disableButton = useRef<HTMLButtonElement>(null);

  if (panel.kind === 'codes') {
    return (
      <RecoveryCodes
        codes={panel.codes}
        username={session.user?.username ?? ''}
        onDone={() => {
          setPanel({ kind: 'none' });
          onCodesReplaced();
        }}
      />
    );
  }

  const close = (opener: HTMLButtonElement | null) => {
    setPanel({ kind: 'none' });
    opener?.focus();
  };

  return (
    <div class="stack">
      <div class="form-actions">
        <button
          ref={regenerateButton}
          type="button"
          class="btn"
          aria-expanded={panel.kind === 'regenerate'}
          onClick={() => setPanel({ kind: 'regenerate' })}
          data-testid="twofa-regenerate-open"
        >
          Generate new recovery codes
        </button>
        <button
          ref={disableButton}
          type="button"
          class="btn btn-danger-outline"
          aria-expanded={panel.kind === 'disable'}
          onClick={() => setPanel({ kind: 'disable' })}
          data-testid="twofa-disable-open"
        >
          Turn off 2FA
        </button>
      </div>
      {panel.kind === 'regenerate' ? (
        <RegenerateCodesForm
          onGenerated={(codes) => {
            // The notice about a used recovery code is answered by the new set.
            session.clearRecoveryNotice();
            setPanel({ kind: 'codes', codes });
          }}
          onCancel={() => close(regenerateButton.current)}
        />
      ) : null}
      {panel.kind === 'disable' ? (
        <DisableTwoFactorForm
          requiredByPolicy={status.requiredByPolicy}
          onDisabled={onDisabled}
          onCancel={() => close(disableButton.current)}
        />
      ) : null}
    </div>
  );
}

// Shows new recovery codes once, with Download and Copy, until the user says they are saved.
import { useState } from 'preact/hooks';
import { copyText } from '../util/clipboard.ts';
import { downloadTextFile } from '../util/download.ts';
import { RECOVERY_CODES_FILENAME, recoveryCodesText } from '../util/recovery-codes.ts';
import { StepHeading, type HeadingLevel } from './step-heading.tsx';

type RecoveryCodesProps = {
  codes: string[];
  username: string;
  onDone: () => void;
  headingLevel?: HeadingLevel;
};

const COPY_UNAVAILABLE = 'Copying is not available in this browser. Select the codes and copy them by hand, or use Download.';

export function RecoveryCodes({ codes, username, onDone, headingLevel = 3 }: RecoveryCodesProps) {
  const [copyMessage, setCopyMessage] = useState<string | null>(null);

  const download = () => downloadTextFile(RECOVERY_CODES_FILENAME, recoveryCodesText(username, codes, new Date()));

  const copy = async () => {
    setCopyMessage((await copyText(codes.join('\n'))) ? 'The codes were copied to the clipboard.' : COPY_UNAVAILABLE);
  };

  return (
    <div class="stack" data-testid="recovery-codes-step">
      <StepHeading level={headingLevel}>Save your recovery codes</StepHeading>
      <p class="alert alert-warning">
        <strong>These codes will not be shown again.</strong> Each code signs you in once if you lose your authenticator app. Keep
        them somewhere safe, such as a password manager.
      </p>
      <ol class="recovery-codes mono" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </ol>
      <div class="form-actions">
        <button type="button" class="btn" onClick={download} data-testid="recovery-codes-download">
          Download
        </button>
        <button type="button" class="btn" onClick={copy} data-testid="recovery-codes-copy">
          Copy
        </button>
      </div>
      {copyMessage ? (
        <p class="alert alert-info" role="status" data-testid="recovery-codes-copy-status">
          {copyMessage}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onDone} data-testid="recovery-codes-done">
          I have saved these codes
        </button>
      </div>
    </div>
  );
}

// State of a form confirmed with the password and a second factor: fields, busy flag, error, and where focus goes after a refusal.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../api/api-error.ts';

/** `send` makes the call with the typed password and code; on a refusal the code is cleared, and the password too when it was wrong. */
export function useProofForm(send: (password: string, code: string) => Promise<void>) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => passwordInput.current?.focus(), []);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send(password, code);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
      setCode('');
      if (err instanceof ApiError && err.code === 'invalid_password') {
        setPassword('');
        passwordInput.current?.focus();
      } else {
        codeInput.current?.focus();
      }
    }
  };

  return { password, setPassword, code, setCode, error, busy, passwordInput, codeInput, submit };
}

// A labelled input for the 6-digit code of an authenticator app (number pad, one-time-code autofill).
import type { Ref } from 'preact';
import { TextField } from './text-field.tsx';

type CodeFieldProps = {
  value: string;
  onValue: (value: string) => void;
  testId: string;
  label?: string;
  hint?: string;
  inputRef?: Ref<HTMLInputElement>;
};

export function CodeField({ label = 'Authentication code', ...props }: CodeFieldProps) {
  return (
    <TextField
      label={label}
      value={props.value}
      onValue={props.onValue}
      testId={props.testId}
      hint={props.hint}
      inputRef={props.inputRef}
      autoComplete="one-time-code"
      inputMode="numeric"
      maxLength={12}
      required
    />
  );
}

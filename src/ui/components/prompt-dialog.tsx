// A modal asking for one value (a name, a path, a mode) on the native <dialog>: Enter submits, Esc cancels, and the
// error of a refused value is shown in it, so what was typed stays to be corrected.
import type { ComponentChildren, TargetedSubmitEvent } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from './error-message.tsx';
import { TextField } from './text-field.tsx';

type PromptDialogProps = {
  open: boolean;
  title: string;
  label: string;
  initial: string;
  confirmLabel: string;
  hint?: string;
  busy?: boolean;
  error?: string | null;
  testId?: string;
  /** More fields under the value (a format choice). */
  children?: ComponentChildren;
  onSubmit: (value: string) => void;
  onCancel: () => void;
};

export function PromptDialog(props: PromptDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const [value, setValue] = useState(props.initial);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (props.open && !el.open) {
      setValue(props.initial);
      el.showModal();
      // A name is selected up to its extension, so typing replaces the name and keeps ".txt".
      window.setTimeout(() => {
        const field = input.current;
        if (!field) return;
        field.focus();
        const dot = props.initial.lastIndexOf('.');
        const slash = props.initial.lastIndexOf('/');
        field.setSelectionRange(slash + 1, dot > slash + 1 ? dot : props.initial.length);
      }, 0);
    }
    if (!props.open && el.open) el.close();
  }, [props.open]);

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!props.busy) props.onSubmit(value.trim());
  };

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
      data-testid={props.testId ?? 'prompt-dialog'}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{props.title}</h2>
        <TextField label={props.label} value={value} onValue={setValue} hint={props.hint} inputRef={input} testId="prompt-value" required disabled={props.busy} />
        {props.children}
        <ErrorMessage message={props.error} />
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary" disabled={props.busy || !value.trim()} data-testid="prompt-ok">
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

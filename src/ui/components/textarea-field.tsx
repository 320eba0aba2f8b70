// A labelled monospace <textarea> for one entry per line, with an optional hint.
import { useId } from 'preact/hooks';

type TextareaFieldProps = {
  label: string;
  value: string;
  onValue: (value: string) => void;
  testId?: string;
  hint?: string;
  rows?: number;
  placeholder?: string;
  disabled?: boolean;
};

export function TextareaField(props: TextareaFieldProps) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        rows={props.rows ?? 4}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
        data-testid={props.testId}
        aria-describedby={hintId}
        placeholder={props.placeholder}
        disabled={props.disabled}
        spellcheck={false}
        autoComplete="off"
      />
      {props.hint ? (
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

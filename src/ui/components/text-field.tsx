// A labelled text-like input (text, email, password, number, datetime-local) with an optional hint.
import type { Ref, TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';

type TextFieldProps = {
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'number' | 'datetime-local' | 'search';
  testId?: string;
  hint?: string;
  autoComplete?: string;
  required?: boolean;
  disabled?: boolean;
  minLength?: number;
  maxLength?: number;
  /** Bounds and step of a number input. */
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
  autoFocus?: boolean;
  /** 'numeric' brings up the number pad on touch devices (one-time codes). */
  inputMode?: 'text' | 'numeric';
  /** Lets the form move focus to the input (after an error, or when it appears). */
  inputRef?: Ref<HTMLInputElement>;
};

export function TextField(props: TextFieldProps) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  // Preact types <input> attributes per `type`; every type allowed here takes the same attributes.
  const inputType = (props.type ?? 'text') as 'text';
  const onInput = (event: TargetedEvent<HTMLInputElement>) => props.onValue(event.currentTarget.value);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        ref={props.inputRef}
        id={id}
        type={inputType}
        value={props.value}
        onInput={onInput}
        data-testid={props.testId}
        aria-describedby={hintId}
        autoComplete={props.autoComplete}
        required={props.required}
        disabled={props.disabled}
        minLength={props.minLength}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        step={props.step}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        inputMode={props.inputMode}
        spellcheck={false}
      />
      {props.hint ? (
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

// A labelled <select> with a list of value/label options (any of which may be unavailable).
import type { TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';

type SelectFieldProps = {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string; disabled?: boolean }[];
  testId?: string;
  hint?: string;
  disabled?: boolean;
};

export function SelectField(props: SelectFieldProps) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const onChange = (event: TargetedEvent<HTMLSelectElement>) => props.onValue(event.currentTarget.value);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={onChange} data-testid={props.testId} aria-describedby={hintId} disabled={props.disabled}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

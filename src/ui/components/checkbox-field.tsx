// A checkbox with its label beside it and an optional description.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

type CheckboxFieldProps = {
  label: ComponentChildren;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  description?: ComponentChildren;
  testId?: string;
  disabled?: boolean;
  value?: string;
};

export function CheckboxField(props: CheckboxFieldProps) {
  const id = useId();
  const descId = props.description ? `${id}-desc` : undefined;
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        value={props.value}
        onChange={(event) => props.onChecked(event.currentTarget.checked)}
        data-testid={props.testId}
        aria-describedby={descId}
        disabled={props.disabled}
      />
      <div>
        <label for={id}>{props.label}</label>
        {props.description ? (
          <p class="field-hint" id={descId}>
            {props.description}
          </p>
        ) : null}
      </div>
    </div>
  );
}

// One of a template's variables as a form field that fits its rule: a list for a choice, a checkbox for true/false,
// a number with bounds for a whole number, a text box otherwise; with its description, its rule and the server's
// objection to the value, if any.
import type { TemplateEnvVar } from '../../api/servers.types.ts';
import { ruleHint } from './server-draft.ts';

type EnvFieldProps = {
  variable: TemplateEnvVar;
  value: string;
  onValue: (value: string) => void;
  /** Why the server refused the value. */
  problem?: string | undefined;
  disabled?: boolean;
};

export const envFieldId = (name: string) => `server-env-${name}`;

export function EnvField({ variable: v, value, onValue, problem, disabled }: EnvFieldProps) {
  const id = envFieldId(v.name);
  const locked = !v.editable;
  const hint = [v.description, ruleHint(v), locked ? 'Set by the template; it cannot be changed.' : null].filter(Boolean).join(' ');
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = problem ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    disabled: disabled || locked,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
    'data-testid': `server-form-env-${v.name}`,
  };
  const rule = v.rule;
  const label = (
    <>
      {v.label} <span class="muted mono small">{v.name}</span>
      {v.required ? <span class="muted small"> (required)</span> : null}
    </>
  );

  if (rule.type === 'boolean') {
    return (
      <div class="field env-field">
        <div class="check">
          <input type="checkbox" checked={value === 'true'} onChange={(e) => onValue(e.currentTarget.checked ? 'true' : 'false')} {...common} />
          <label for={id}>{label}</label>
        </div>
        {hint ? <p class="field-hint" id={hintId}>{hint}</p> : null}
        {problem ? <p class="field-error" id={errorId} data-testid="field-error">{problem}</p> : null}
      </div>
    );
  }

  let input;
  if (rule.type === 'enum') {
    const blank = v.default === undefined ? 'Choose…' : `Default (${v.default})`;
    input = (
      <select value={value} onChange={(e) => onValue(e.currentTarget.value)} required={v.required && v.default === undefined} {...common}>
        <option value="">{blank}</option>
        {rule.values.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (rule.type === 'integer') {
    input = (
      <input
        type="number"
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        min={rule.min}
        max={rule.max}
        step={1}
        required={v.required && v.default === undefined}
        placeholder={v.default}
        {...common}
      />
    );
  } else {
    input = (
      <input
        type="text"
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        maxLength={rule.maxLength}
        required={v.required && v.default === undefined}
        placeholder={v.default}
        autoComplete="off"
        spellcheck={false}
        {...common}
      />
    );
  }
  return (
    <div class="field env-field">
      <label for={id}>{label}</label>
      {input}
      {hint ? <p class="field-hint" id={hintId}>{hint}</p> : null}
      {problem ? <p class="field-error" id={errorId} data-testid="field-error">{problem}</p> : null}
    </div>
  );
}

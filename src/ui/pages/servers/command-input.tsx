// The console's command line: Enter sends, ↑ and ↓ walk through the commands sent before (the line being typed is kept).
import type { TargetedKeyboardEvent, TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';

/** Commands remembered for ↑ and ↓. */
const HISTORY = 100;
export const MAX_COMMAND = 4096;

type CommandInputProps = {
  /** Sends the command; false when it could not be sent (the line then stays). */
  onSend: (command: string) => boolean;
  disabled: boolean;
  /** Why sending is not possible now. */
  disabledHint?: string | undefined;
};

export function CommandInput({ onSend, disabled, disabledHint }: CommandInputProps) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const history = useRef<string[]>([]);
  /** Where ↑/↓ are in the history; null while typing a new line. */
  const position = useRef<number | null>(null);
  const typed = useRef('');

  const show = (text: string) => {
    setValue(text);
    // The caret goes to the end of the recalled command, as in a shell.
    requestAnimationFrame(() => input.current?.setSelectionRange(text.length, text.length));
  };

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLInputElement>) => {
    const list = history.current;
    if (event.key === 'ArrowUp' && list.length > 0) {
      event.preventDefault();
      if (position.current === null) {
        typed.current = value;
        position.current = list.length;
      }
      position.current = Math.max(0, position.current - 1);
      show(list[position.current] ?? '');
    } else if (event.key === 'ArrowDown' && position.current !== null) {
      event.preventDefault();
      position.current += 1;
      if (position.current >= list.length) {
        position.current = null;
        show(typed.current);
      } else {
        show(list[position.current] ?? '');
      }
    }
  };

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const command = value;
    if (!command.trim() || disabled) return;
    if (!onSend(command)) return;
    const list = history.current;
    if (list[list.length - 1] !== command) list.push(command);
    if (list.length > HISTORY) list.shift();
    position.current = null;
    typed.current = '';
    setValue('');
  };

  return (
    <form class="console-input" onSubmit={submit} aria-label="Send a console command">
      <label for="console-command" class="visually-hidden">
        Command
      </label>
      <span class="console-prompt" aria-hidden="true">
        &gt;
      </span>
      <input
        ref={input}
        id="console-command"
        type="text"
        value={value}
        onInput={(event) => {
          setValue(event.currentTarget.value.replace(/[\r\n]/g, ''));
          position.current = null;
        }}
        onKeyDown={onKeyDown}
        maxLength={MAX_COMMAND}
        autoComplete="off"
        autoCapitalize="off"
        spellcheck={false}
        disabled={disabled}
        placeholder={disabled ? disabledHint : 'Type a command and press Enter; ↑ and ↓ recall earlier ones'}
        aria-describedby={disabled && disabledHint ? 'console-command-hint' : undefined}
        data-testid="console-input"
      />
      <button type="submit" class="btn btn-small" disabled={disabled || !value.trim()} data-testid="console-send">
        Send
      </button>
      {disabled && disabledHint ? (
        <p id="console-command-hint" class="visually-hidden">
          {disabledHint}
        </p>
      ) : null}
    </form>
  );
}

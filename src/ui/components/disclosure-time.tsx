// The first cell of an expandable table row: a disclosure button that shows the row's time and opens its details.
import { TimeText } from './time-text.tsx';

type DisclosureTimeProps = {
  iso: string;
  expanded: boolean;
  /** Id of the element the button opens. */
  controls: string;
  /** What a screen reader hears before the time, e.g. "details of event at". */
  what: string;
  onToggle: () => void;
};

export function DisclosureTime({ iso, expanded, controls, what, onToggle }: DisclosureTimeProps) {
  return (
    <button
      type="button"
      class="btn-disclosure"
      aria-expanded={expanded}
      aria-controls={controls}
      onClick={(e) => {
        // The row itself also toggles on click; this click must not reach it as well.
        e.stopPropagation();
        onToggle();
      }}
    >
      <span class="disclosure-icon" aria-hidden="true" />
      <span class="visually-hidden">
        {expanded ? 'Hide' : 'Show'} {what}{' '}
      </span>
      <TimeText iso={iso} withSeconds />
    </button>
  );
}

// The history range, as a group of radio buttons drawn as one segmented control.
import { RANGES, type RangeId } from '../../api/resources.api.ts';

export function RangePicker({ value, onChange }: { value: RangeId; onChange: (range: RangeId) => void }) {
  return (
    <fieldset class="range-picker" data-testid="range-picker">
      <legend>Range</legend>
      {RANGES.map((range) => (
        <label key={range.id} class="range-option">
          <input type="radio" name="resource-range" value={range.id} checked={value === range.id} onChange={() => onChange(range.id)} data-testid={`range-${range.id}`} />
          <span>{range.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

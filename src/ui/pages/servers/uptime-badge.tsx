// Up, down or unknown as the uptime page (Gatus) last saw an endpoint, with its 24-hour and 7-day uptime.
import { percentText, type UptimeState } from '../../api/uptime.api.ts';

const stateClass: Record<UptimeState, string> = { up: 'badge badge-success', down: 'badge badge-danger', unknown: 'badge badge-neutral' };

export function UptimeFigures({ state, uptime24h, uptime7d }: { state: UptimeState; uptime24h: number | null; uptime7d: number | null }) {
  return (
    <>
      <span class={stateClass[state]} data-testid="uptime-state" data-state={state}>
        {state}
      </span>{' '}
      <span class="small" data-testid="uptime-figures">
        24 h {percentText(uptime24h)} · 7 d {percentText(uptime7d)}
      </span>
    </>
  );
}

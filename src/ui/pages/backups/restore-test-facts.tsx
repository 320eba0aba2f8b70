// The last restore test in words: passed or failed, when, on which backup, and what it found.
import type { RestoreTest } from '../../api/backups.api.ts';
import { TimeText } from '../../components/time-text.tsx';

export function RestoreTestFacts({ result, everyDays }: { result: RestoreTest | null; everyDays: number }) {
  const when = everyDays > 0 ? `every ${everyDays} day${everyDays === 1 ? '' : 's'}` : 'only when run by hand';
  if (!result) {
    return (
      <p class="muted small" data-testid="restore-test-none">
        Not run since the panel started ({when}).
      </p>
    );
  }
  return (
    <p class="small" data-testid="restore-test-result" data-ok={String(result.ok)}>
      <span class={result.ok ? 'badge badge-success badge-inline' : 'badge badge-danger badge-inline'}>{result.ok ? 'Passed' : 'Failed'}</span> <TimeText iso={result.at} />
      {result.backup ? <span class="mono"> · {result.backup}</span> : null}
      <br />
      {result.detail}
      {result.ok && result.users !== null ? ` ${result.users} user(s), ${result.auditEvents} audit event(s).` : ''} <span class="muted">Runs {when}.</span>
    </p>
  );
}

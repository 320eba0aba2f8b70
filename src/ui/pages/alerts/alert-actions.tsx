// Working an alert: acknowledge, resolve or reopen it (with an optional note), add a note, and assign it.
import { useEffect, useState } from 'preact/hooks';
import { addAlertNote, assignAlert, changeAlertStatus, type StatusVerb } from '../../api/alerts.api.ts';
import type { Alert, TimelineEntry } from '../../api/alerts.types.ts';
import type { User } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextareaField } from '../../components/textarea-field.tsx';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { describeResponseError } from './response-error.ts';

const MAX_NOTE = 2000;

type AlertActionsProps = {
  alert: Alert;
  me: { id: string; username: string };
  /** Accounts an alert can be assigned to; null when the user may not list accounts (then only "assign to me"). */
  assignable: User[] | null;
  onAlert: (alert: Alert) => void;
  onTimeline: (timeline: TimelineEntry[]) => void;
  /** Something changed that the rest of the detail shows too (the timeline): read it again. */
  onChanged: () => void;
};

const statusDone: Record<StatusVerb, string> = { ack: 'acknowledged', resolve: 'resolved', reopen: 'reopened' };

export function AlertActions({ alert, me, assignable, onAlert, onTimeline, onChanged }: AlertActionsProps) {
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState(alert.assignee?.id ?? '');
  // Someone else may assign the alert meanwhile (the detail follows the live stream): the picker shows who has it now.
  useEffect(() => setAssignee(alert.assignee?.id ?? ''), [alert.assignee?.id]);
  const { busyId, error, setError, notice, run } = useRowActions();
  const busy = busyId !== null;
  const tooLong = note.trim().length > MAX_NOTE;

  const changeStatus = (verb: StatusVerb) =>
    run(verb, async () => {
      if (tooLong) throw new Error(`A note can be at most ${MAX_NOTE} characters.`);
      try {
        onAlert(await changeAlertStatus(alert.id, verb, note));
      } catch (err) {
        throw new Error(describeResponseError(err));
      }
      setNote('');
      onChanged();
      return `The alert was ${statusDone[verb]}.`;
    });

  const addNote = () =>
    run('note', async () => {
      if (!note.trim()) throw new Error('Write the note first.');
      if (tooLong) throw new Error(`A note can be at most ${MAX_NOTE} characters.`);
      onTimeline(await addAlertNote(alert.id, note));
      setNote('');
      return 'The note was added to the timeline.';
    });

  const assign = (userId: string | null) =>
    run('assign', async () => {
      const updated = await assignAlert(alert.id, userId);
      onAlert(updated);
      setAssignee(updated.assignee?.id ?? '');
      onChanged();
      return updated.assignee ? `The alert is assigned to ${updated.assignee.username}.` : 'The alert is no longer assigned.';
    });

  const options = [
    { value: '', label: 'Nobody' },
    ...(assignable ?? []).map((user) => ({ value: user.id, label: user.id === me.id ? `${user.username} (you)` : user.username })),
  ];

  return (
    <div class="card stack" data-testid="alert-actions">
      <h2>Work on it</h2>
      <TextareaField
        label="Note"
        value={note}
        onValue={(value) => {
          setError(null);
          setNote(value);
        }}
        rows={3}
        testId="alert-note"
        hint="Optional with Acknowledge, Resolve and Reopen; written on the timeline with the change."
      />
      <div class="form-actions">
        {alert.status === 'open' ? (
          <button type="button" class="btn" onClick={() => void changeStatus('ack')} disabled={busy} data-testid="alert-ack">
            Acknowledge
          </button>
        ) : null}
        {alert.status !== 'resolved' ? (
          <button type="button" class="btn btn-primary" onClick={() => void changeStatus('resolve')} disabled={busy} data-testid="alert-resolve">
            Resolve
          </button>
        ) : (
          <button type="button" class="btn" onClick={() => void changeStatus('reopen')} disabled={busy} data-testid="alert-reopen">
            Reopen
          </button>
        )}
        <button type="button" class="btn" onClick={() => void addNote()} disabled={busy} data-testid="alert-add-note">
          Add note
        </button>
      </div>
      <h3 class="details-title">Assignee</h3>
      {assignable ? (
        <div class="inline-form">
          <SelectField label="Assign to" value={assignee} onValue={setAssignee} options={options} testId="alert-assignee-select" />
          <button
            type="button"
            class="btn"
            onClick={() => void assign(assignee || null)}
            disabled={busy || assignee === (alert.assignee?.id ?? '')}
            data-testid="alert-assign"
          >
            Assign
          </button>
        </div>
      ) : (
        <div class="form-actions">
          {alert.assignee?.id !== me.id ? (
            <button type="button" class="btn" onClick={() => void assign(me.id)} disabled={busy} data-testid="alert-assign-me">
              Assign to me
            </button>
          ) : null}
          {alert.assignee ? (
            <button type="button" class="btn" onClick={() => void assign(null)} disabled={busy} data-testid="alert-unassign">
              Unassign
            </button>
          ) : null}
        </div>
      )}
      <Notice message={notice} />
      <ErrorMessage message={error} />
    </div>
  );
}

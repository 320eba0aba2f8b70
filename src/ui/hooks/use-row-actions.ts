// State of a table's row actions: which row is busy, and the notice or error the last action left.
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';

export function useRowActions() {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** Runs an action on one row; its result is the notice to show, a failure the error. */
  const run = async (rowId: string, action: () => Promise<string>) => {
    setBusyId(rowId);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusyId(null);
    }
  };

  return { busyId, error, setError, notice, setNotice, run };
}

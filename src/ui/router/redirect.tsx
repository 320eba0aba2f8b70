// Replaces the current history entry with another in-app path once rendered.
import { useEffect } from 'preact/hooks';
import { navigate } from './history.ts';

export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

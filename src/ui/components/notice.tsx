// A success or information message shown after an action; renders nothing when empty.

export function Notice({ message, kind = 'success' }: { message: string | null | undefined; kind?: 'success' | 'info' }) {
  if (!message) return null;
  return (
    <p class={`alert alert-${kind}`} role="status" data-testid="notice">
      {message}
    </p>
  );
}

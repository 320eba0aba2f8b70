// An error message announced to screen readers; renders nothing when there is no error.

export function ErrorMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p class="alert alert-error" role="alert" data-testid="error">
      {message}
    </p>
  );
}

// A message for the Servers list that outlives a navigation to it (after a server was deleted on its own page).
let pending: string | null = null;

export function setServersNotice(text: string): void {
  pending = text;
}

/** The message left for the list, once. */
export function takeServersNotice(): string | null {
  const text = pending;
  pending = null;
  return text;
}

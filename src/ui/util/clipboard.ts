// Copies text to the clipboard where the browser allows it (the Clipboard API exists only on secure origins).

/** True when the text is on the clipboard; false when copying is unavailable or was refused. */
export async function copyText(text: string): Promise<boolean> {
  if (!window.isSecureContext || !navigator.clipboard) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Selects an element's text, so the user can copy it by hand when copyText cannot. */
export function selectText(element: Element): void {
  window.getSelection()?.selectAllChildren(element);
}

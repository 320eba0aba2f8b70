// Saves text the page built as a file on the user's device (Blob URL and a temporary <a download>).

export function downloadTextFile(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the Blob after the click returns; release it once the download has surely started.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

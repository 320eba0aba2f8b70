// Keeps the browser tab title in step with the page being shown.
import { useEffect } from 'preact/hooks';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Aether Panel` : 'Aether Panel';
  }, [title]);
}

// Centered card layout for pages shown before sign-in (login, setup).
import type { ComponentChildren } from 'preact';
import { useDocumentTitle } from '../hooks/use-document-title.ts';

export function AuthLayout({ title, children }: { title: string; children: ComponentChildren }) {
  useDocumentTitle(title);
  return (
    <main class="auth-screen" id="main">
      <div class="auth-card">
        <p class="auth-brand">
          <img class="brand-logo" src="/favicon.svg" alt="" width={28} height={28} />
          <span>Aether Panel</span>
        </p>
        <h1 data-testid="page-title">{title}</h1>
        {children}
      </div>
    </main>
  );
}

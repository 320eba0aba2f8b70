// Layout of signed-in pages: skip link, top bar, sidebar navigation and the main content area.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Nav } from './nav.tsx';
import { RecoveryUsedNotice } from './recovery-used-notice.tsx';
import { TopBar } from './top-bar.tsx';

export function AppShell({ currentPath, children }: { currentPath: string; children: ComponentChildren }) {
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar menuOpen={menuOpen} onToggleMenu={() => setMenuOpen((open) => !open)} />
      <div class="shell-body">
        <Nav currentPath={currentPath} open={menuOpen} onNavigate={() => setMenuOpen(false)} />
        <main id="main" class="content" tabIndex={-1}>
          <RecoveryUsedNotice />
          {children}
        </main>
      </div>
    </div>
  );
}

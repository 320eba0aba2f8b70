// The top bar: product name, menu toggle on small screens, signed-in user and logout.
import { useState } from 'preact/hooks';
import { logout } from '../api/auth.api.ts';
import { navigate } from '../router/history.ts';
import { Link } from '../router/link.tsx';
import { useSession } from '../session/session-context.ts';

type TopBarProps = {
  menuOpen: boolean;
  onToggleMenu: () => void;
};

export function TopBar({ menuOpen, onToggleMenu }: TopBarProps) {
  const session = useSession();
  const [busy, setBusy] = useState(false);

  const signOut = async () => {
    setBusy(true);
    try {
      await logout();
    } catch {
      // The local session is forgotten either way; the server session expires on its own.
    }
    session.signedOut();
    navigate('/login', { replace: true });
  };

  return (
    <header class="topbar">
      <button
        type="button"
        class="btn btn-ghost menu-toggle"
        aria-expanded={menuOpen}
        aria-controls="main-nav"
        onClick={onToggleMenu}
      >
        <span class="menu-icon" aria-hidden="true" />
        <span class="visually-hidden">Menu</span>
      </button>
      <Link href="/" class="brand">
        <img class="brand-logo" src="/favicon.svg" alt="" width={24} height={24} />
        <span>Aether Panel</span>
      </Link>
      <div class="topbar-user">
        <Link href="/account" class="current-user" data-testid="current-user" title="My account">
          {session.user?.username}
        </Link>
        <button type="button" class="btn btn-small" onClick={signOut} disabled={busy} data-testid="logout">
          Log out
        </button>
      </div>
    </header>
  );
}

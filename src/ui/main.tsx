// Browser entry point: loads the stylesheets and mounts the app.
import { render } from 'preact';
import { App } from './app.tsx';
import { SessionProvider } from './session/session-provider.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/tables.css';
import './styles/components.css';

const root = document.getElementById('app');
if (root) {
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
    root,
  );
}

// The links between the sections of the Alerts page; the one shown is marked as the current page.
import { Link } from '../../router/link.tsx';
import { alertsSections, type AlertsSection } from './alerts-sections.ts';

export function AlertsNav({ current }: { current: AlertsSection }) {
  return (
    <nav class="subnav" aria-label="Alerts sections">
      <ul class="subnav-list">
        {alertsSections.map((section) => (
          <li key={section.id}>
            <Link
              href={section.path}
              class="subnav-link"
              data-testid={`alerts-tab-${section.id}`}
              aria-current={section.id === current ? 'page' : undefined}
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

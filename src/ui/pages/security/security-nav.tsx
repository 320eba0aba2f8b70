// The links between the sections of the Security page; the one shown is marked as the current page.
import { Link } from '../../router/link.tsx';
import { securitySections, type SecuritySection } from './security-sections.ts';

export function SecurityNav({ current }: { current: SecuritySection }) {
  return (
    <nav class="subnav" aria-label="Security sections">
      <ul class="subnav-list">
        {securitySections.map((section) => (
          <li key={section.id}>
            <Link
              href={section.path}
              class="subnav-link"
              data-testid={`security-tab-${section.id}`}
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

// The links between the sections of a page (Security, Alerts); the one shown is marked as the current page.
import { Link } from '../router/link.tsx';

export type PageSection = { id: string; path: string; label: string };

export function SectionNav({ label, sections, current, testIdPrefix }: { label: string; sections: readonly PageSection[]; current: string; testIdPrefix: string }) {
  return (
    <nav class="subnav" aria-label={label}>
      <ul class="subnav-list">
        {sections.map((section) => (
          <li key={section.id}>
            <Link href={section.path} class="subnav-link" data-testid={`${testIdPrefix}-${section.id}`} aria-current={section.id === current ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

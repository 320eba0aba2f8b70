// The sections of the Security page, each at its own path; the page's own path shows the first.

export type SecuritySection = 'detections' | 'bans' | 'rules';

export const securitySections: ReadonlyArray<{ id: SecuritySection; path: string; label: string }> = [
  { id: 'detections', path: '/security/detections', label: 'Detections' },
  { id: 'bans', path: '/security/bans', label: 'Bans' },
  { id: 'rules', path: '/security/rules', label: 'Rules' },
];

export const SECURITY_PATH = '/security';

/** The section a path opens; the page's own path opens detections. */
export function sectionOf(path: string): SecuritySection {
  return securitySections.find((section) => section.path === path)?.id ?? 'detections';
}

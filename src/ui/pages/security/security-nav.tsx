// The links between the sections of the Security page.
import { SectionNav } from '../../components/section-nav.tsx';
import { securitySections, type SecuritySection } from './security-sections.ts';

export const SecurityNav = ({ current }: { current: SecuritySection }) => <SectionNav label="Security sections" sections={securitySections} current={current} testIdPrefix="security-tab" />;

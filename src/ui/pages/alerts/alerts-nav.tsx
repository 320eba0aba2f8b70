// The links between the sections of the Alerts page.
import { SectionNav } from '../../components/section-nav.tsx';
import { alertsSections, type AlertsSection } from './alerts-sections.ts';

export const AlertsNav = ({ current }: { current: AlertsSection }) => <SectionNav label="Alerts sections" sections={alertsSections} current={current} testIdPrefix="alerts-tab" />;

// Security page: the monitor's detections, the bans it and administrators made, and the detection rules in force.
import { PageHeader } from '../components/page-header.tsx';
import { useLocation } from '../router/history.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { BansSection } from './security/bans-section.tsx';
import { DetectionsSection } from './security/detections-section.tsx';
import { RulesSection } from './security/rules-section.tsx';
import { SecurityNav } from './security/security-nav.tsx';
import { sectionOf } from './security/security-sections.ts';

const DESCRIPTION =
  "The security monitor runs detection rules over the panel's sign-ins and requests. A rule that fires records a detection " +
  'and may ban the address it came from. Times are shown in your local time zone.';

export function SecurityPage() {
  const { user } = useSession();
  const { path } = useLocation();
  const section = sectionOf(path);
  const canEdit = hasScope(user, 'monitor.edit');
  return (
    <section>
      <PageHeader title="Security" description={DESCRIPTION} />
      <SecurityNav current={section} />
      {section === 'detections' ? <DetectionsSection /> : null}
      {section === 'bans' ? <BansSection canEdit={canEdit} /> : null}
      {section === 'rules' ? <RulesSection /> : null}
    </section>
  );
}

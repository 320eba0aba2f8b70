// Page for an unknown in-app path.
import { PageHeader } from '../components/page-header.tsx';
import { Link } from '../router/link.tsx';

export function NotFoundPage() {
  return (
    <section>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <Link href="/">Go to the dashboard</Link>.
      </p>
    </section>
  );
}

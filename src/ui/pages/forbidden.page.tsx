// Page shown when the signed-in user lacks the scope a page needs.
import { PageHeader } from '../components/page-header.tsx';
import { Link } from '../router/link.tsx';

export function ForbiddenPage() {
  return (
    <section>
      <PageHeader title="Not permitted" />
      <p>
        Your roles do not allow you to open this page. Ask an administrator if you need access.{' '}
        <Link href="/">Go to the dashboard</Link>.
      </p>
    </section>
  );
}

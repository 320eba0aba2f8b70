// Placeholder page for a capability that is planned but not yet available in the panel.
import { PageHeader } from '../components/page-header.tsx';

export function ComingSoonPage({ title, text }: { title: string; text: string }) {
  return (
    <section>
      <PageHeader title={title} />
      <div class="card placeholder" data-testid="coming-soon">
        <span class="badge badge-info">Coming soon</span>
        <p>{text}</p>
        <p class="muted">This part of Aether Panel is not available yet.</p>
      </div>
    </section>
  );
}

// Resources page: the host's current figures, their history as charts over a chosen range, and the threshold rules with their state.
import { useState } from 'preact/hooks';
import { getCurrentResources, listResourceRules, type RangeId } from '../api/resources.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { CurrentFigures } from './resources/current-figures.tsx';
import { HistoryCharts } from './resources/history-charts.tsx';
import { RangePicker } from './resources/range-picker.tsx';
import { ResourceRules } from './resources/resource-rules.tsx';
import { usePolling } from '../hooks/use-polling.ts';
import './resources/resources.css';

const DESCRIPTION =
  'The host the panel runs on, sampled every few seconds. Threshold rules raise an alert when a value stays too high for a while, ' +
  'and resolve it once the value has stayed lower for a while. Times are shown in your local time zone.';

export function ResourcesPage() {
  const current = useLoad(getCurrentResources);
  const rules = useLoad(listResourceRules);
  const [range, setRange] = useState<RangeId>('1h');
  const everyMs = Math.max(5, current.data?.intervalSeconds ?? 10) * 1000;
  usePolling(() => {
    current.reload();
    rules.reload();
  }, everyMs);

  return (
    <section>
      <PageHeader title="Resources" description={DESCRIPTION} />

      <section aria-labelledby="resources-now-title" class="resources-section">
        <h2 id="resources-now-title">Now</h2>
        {current.data ? <CurrentFigures current={current.data} /> : current.error ? null : <Loading />}
        <ErrorMessage message={current.error} />
      </section>

      <section aria-labelledby="resources-history-title" class="resources-section">
        <div class="section-head">
          <h2 id="resources-history-title">History</h2>
          <RangePicker value={range} onChange={setRange} />
        </div>
        <HistoryCharts range={range} />
      </section>

      <section aria-labelledby="resources-rules-title" class="resources-section">
        <h2 id="resources-rules-title">Threshold rules</h2>
        <p class="alert alert-info" data-testid="resource-rules-note">
          Rules are files in <code>rules/resources</code> and cannot be changed here. Shipped files are never edited: to turn a rule off or
          change its levels, put a <code>*.local.yml</code> file beside them (for example <code>site.local.yml</code>) and restart the panel.
        </p>
        {rules.data ? <ResourceRules rules={rules.data} /> : rules.error ? null : <Loading />}
        <ErrorMessage message={rules.error} />
      </section>
    </section>
  );
}

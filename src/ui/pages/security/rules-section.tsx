// Rules section of the Security page: the detection rules in force, read-only (they are changed in rule files).
import { listRules } from '../../api/monitor.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { RuleRow } from './rule-row.tsx';

const COLUMNS = 8;

export function RulesSection() {
  const rules = useLoad(listRules);
  const items = rules.data ?? [];
  return (
    <section aria-labelledby="rules-title">
      <div class="section-head">
        <h2 id="rules-title">Rules</h2>
        <button type="button" class="btn btn-small" onClick={rules.reload} disabled={rules.loading} data-testid="rules-refresh">
          Refresh
        </button>
      </div>
      <p class="alert alert-info" data-testid="rules-note">
        Rules are files in the rules directory and cannot be changed here. Shipped files are never edited: to turn a rule off, run it in
        simulation or change its settings, put a <code>*.local.yml</code> file beside them (for example <code>site.local.yml</code>) and
        restart the panel.
      </p>
      <ErrorMessage message={rules.error} />
      {rules.loading ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="rules-table">
            <caption class="visually-hidden">Detection rules</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Kind</th>
                <th scope="col">Severity</th>
                <th scope="col">Actions</th>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                <th scope="col" class="cell-shrink">
                  Detections since start
                </th>
                <th scope="col" class="cell-shrink">
                  Last detection
                </th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr>
                  <td colSpan={COLUMNS} class="empty" data-testid="rules-empty">
                    No detection rules are loaded (the monitor may be turned off in the configuration).
                  </td>
                </tr>
              ) : (
                items.map((rule) => <RuleRow key={rule.id} rule={rule} />)
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// Every deployment run of the account (GET /deployments, newest first), with a status filter in
// the URL: ?status=failed is "failed or rolled back", what the overview counts and links to. The
// API filters by certificate, target and binding only, so the status is filtered here. Each run
// links to its certificate, whose Deployment section can deploy it again.
import { all } from '../api';
import { useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import { useListQuery } from '../listState';
import type { Deployment, DeploymentStatus, DeploymentTarget } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

const KEYS = ['status'] as const;
const STATUSES: DeploymentStatus[] = ['pending', 'running', 'succeeded', 'failed', 'rolled_back'];

/** A run that ended without the certificate in place. */
export const failedRun = (d: Pick<Deployment, 'status'>) => d.status === 'failed' || d.status === 'rolled_back';

export function Deployments() {
  const { values: v, set } = useListQuery(KEYS);
  const runs = useLoad(() => all<Deployment>('/deployments', 1000, 200));
  const targets = useLoad(() => all<DeploymentTarget>('/deployment-targets'));
  const targetName = (id: string) => targets.data?.find((x) => x.id === id)?.name || id;
  const items = (runs.data || []).filter((d) => (v.status === 'failed' ? failedRun(d) : !v.status || d.status === v.status));
  return (
    <section>
      <p class="crumbs">
        <Link href="/deployment-targets">{t('nav.deployment')}</Link>
      </p>
      <h1>{t('deployments.title')}</h1>
      <p class="muted">{t('deployments.intro')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="deployments-status">{t('filter.status')}</label>
          <select id="deployments-status" value={v.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('filter.any')}</option>
            <option value="failed">{t('deployments.filter_failed')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {tMaybe('deploy_status.' + s, s)}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorBox error={runs.error || targets.error} />
      {runs.loading && !runs.data ? (
        <Loading />
      ) : items.length ? (
        <div class="table-wrap">
          <table id="deployment-table" class="stack">
            <caption class="sr-only">{t('deployments.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('deployments.when')}</th>
                <th scope="col">{t('filter.status')}</th>
                <th scope="col">{t('deploy.target')}</th>
                <th scope="col">{t('deployments.certificate')}</th>
                <th scope="col">{t('deploy.error')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const at = d.finished_at || d.started_at || d.created_at;
                return (
                  <tr key={d.id} data-id={d.id} data-status={d.status}>
                    <th scope="row">
                      <time dateTime={at}>{formatDate(at)}</time>
                      <small class="hint">{tMaybe('deploy_trigger.' + d.trigger, d.trigger)}</small>
                    </th>
                    <td data-label={t('filter.status')}>
                      <Badge kind="deploy_status" value={d.status} />
                    </td>
                    <td data-label={t('deploy.target')}>{targetName(d.target_id)}</td>
                    <td data-label={t('deployments.certificate')}>
                      <Link href={'/certificates/' + d.certificate_id}>
                        <code class="serial">{d.serial}</code>
                      </Link>
                    </td>
                    <td data-label={t('deploy.error')}>{d.error ? <code class="server-words">{d.error}</code> : <span class="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : runs.data?.length ? (
        <Empty>
          <span id="deployments-no-match">{t('deployments.no_match')}</span>{' '}
          <button type="button" class="secondary small" onClick={() => set({ status: '' })}>
            {t('list.clear_filters')}
          </button>
        </Empty>
      ) : (
        !runs.error && <Empty>{t('deploy.no_runs')}</Empty>
      )}
    </section>
  );
}

// The certificate list: search by domain, filter by status, project and expiry; upload one
// issued elsewhere.
import { useState } from 'preact/hooks';
import { all } from '../api';
import { useLoad } from '../hooks';
import { daysUntil, formatDate, t } from '../i18n';
import type { Certificate } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { UploadDialog } from './UploadDialog';
import { ReminderSettings } from './ReminderSettings';

export function Certificates() {
  const [domain, setDomain] = useState('');
  const [status, setStatus] = useState('');
  const [project, setProject] = useState('');
  const [expiring, setExpiring] = useState('');
  const [uploading, setUploading] = useState(false);
  const q = new URLSearchParams();
  if (domain.trim()) q.set('domain', domain.trim().toLowerCase());
  if (status) q.set('status', status);
  if (project.trim()) q.set('project', project.trim());
  if (expiring) q.set('expiring_within_days', expiring);
  const query = '/certificates?' + q;
  const certs = useLoad(() => all<Certificate>(query), [query]);
  return (
    <section>
      <h1>{t('certs.title')}</h1>
      <div class="filters" role="search">
        <div class="field">
          <label for="certs-domain">{t('filter.domain')}</label>
          <input id="certs-domain" type="search" value={domain} onChange={(e) => setDomain((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="certs-status">{t('filter.status')}</label>
          <select id="certs-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{t('filter.any')}</option>
            {['active', 'revoked', 'expired'].map((s) => (
              <option key={s} value={s}>
                {t(('cert.' + s) as any)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="certs-project">{t('certs.project')}</label>
          <input id="certs-project" value={project} onChange={(e) => setProject((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="certs-expiring">{t('certs.expiring')}</label>
          <select id="certs-expiring" value={expiring} onChange={(e) => setExpiring((e.target as HTMLSelectElement).value)}>
            <option value="">{t('filter.any')}</option>
            {['7', '30', '90'].map((d) => (
              <option key={d} value={d}>
                {t('certs.within_days', { n: d })}
              </option>
            ))}
          </select>
        </div>
        <button type="button" class="secondary" onClick={() => setUploading(true)}>
          {t('certs.upload')}
        </button>
      </div>
      <ErrorBox error={certs.error} />
      {certs.loading && !certs.data ? (
        <Loading />
      ) : certs.data?.length ? (
        <div class="table-wrap">
          <table id="cert-table">
            <thead>
              <tr>
                <th scope="col">{t('certs.names')}</th>
                <th scope="col">{t('filter.status')}</th>
                <th scope="col">{t('certs.not_after')}</th>
                <th scope="col">{t('certs.project')}</th>
              </tr>
            </thead>
            <tbody>
              {certs.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={'/certificates/' + c.id}>{c.alias || c.names.join(', ')}</Link>
                    {c.hosted && <span class="badge">{t('certs.hosted')}</span>}
                  </td>
                  <td>
                    <Badge kind="cert" value={c.status} />
                  </td>
                  <td>
                    {formatDate(c.not_after, false)}{' '}
                    {c.status === 'active' && <span class="muted">({t('overview.expires_in', { days: daysUntil(c.not_after) })})</span>}
                  </td>
                  <td>{c.project || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('certs.none')}</Empty>
      )}
      <ReminderSettings />
      {uploading && <UploadDialog onClose={() => setUploading(false)} onDone={() => certs.reload()} />}
    </section>
  );
}

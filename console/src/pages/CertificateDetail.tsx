// One certificate: names, validity, chain, and what can be done with it (download, reissue,
// renew, revoke, delete, alias/project and reminders) and where it is deployed. A discovered one
// (found on a server by discovery) is watched, not managed: no reissue, renewal, revocation,
// deployment or download with a key; the page says so and points to ordering a new certificate
// and to the monitors. One a public CA issued (source "upstream", a brand's order) is badged so, with
// that CA as its issuer; revoking it revokes it there.
import { useState } from 'preact/hooks';
import { del, download, get, patch, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { daysUntil, formatDate, t } from '../i18n';
import { navigate } from '../router';
import type { Certificate, Order } from '../types';
import { Badge, CopyButton, Link, Loading, Rich } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { CertificateDeployment } from './CertificateDeployment';
import { DownloadDialog } from './DownloadDialog';
import { RevokeDialog } from './RevokeDialog';
import { ReissueDialog } from './ReissueDialog';
import { parseDays } from './ReminderSettings';
import { discoveredAt, isDiscovered, isUpstream, shownAlias } from './Certificates';

export function CertificateDetail({ id }: { id: string }) {
  const cert = useLoad(() => get<Certificate>('/certificates/' + id), [id]);
  const [dialog, setDialog] = useState<'' | 'download' | 'revoke' | 'delete' | 'reissue'>('');
  const action = useAction();
  const c = cert.data;
  if (cert.error) return <ErrorBox error={cert.error} />;
  if (!c) return <Loading />;
  const discovered = isDiscovered(c);
  // Signet issued it (or holds it, uploaded) and can act on it.
  const managed = !c.hosted && !discovered;
  const renew = async () => {
    const o = await action.run(() => post<Order>('/certificates/' + c.id + '/renew'));
    if (o) navigate('/orders/' + o.id + '/application');
  };
  const remove = async () => {
    const ok = await action.run(async () => {
      await del('/certificates/' + c.id + (c.status === 'active' ? '?force=true' : ''));
      return true;
    });
    setDialog('');
    if (ok) navigate('/certificates');
  };
  return (
    <section>
      <p class="crumbs">
        <Link href="/certificates">{t('nav.certificates')}</Link>
      </p>
      <h1>
        {shownAlias(c) || c.names[0]} <Badge kind="cert" value={c.status} />
        {isUpstream(c) && ' '}
        {isUpstream(c) && (
          <span class="badge badge-upstream" data-source="upstream">
            {t('certs.upstream')}
          </span>
        )}
      </h1>
      {discovered && (
        <div class="notice" id="cert-discovered" role="note">
          <h2>{t('cert.discovered_title')}</h2>
          <p>
            <Rich text={t('cert.discovered_text')} vars={{ where: discoveredAt(c) ? <code>{discoveredAt(c)}</code> : t('cert.discovered_somewhere') }} />
          </p>
          <p>
            <Link href="/purchase" class="button">
              {t('cert.discovered_order')}
            </Link>{' '}
            <Link href="/monitors">{t('cert.discovered_monitors')}</Link>
          </p>
        </div>
      )}
      <div class="actions">
        {discovered ? (
          <button type="button" id="download-pem" disabled={action.busy} onClick={() => action.run(() => download('/certificates/' + c.id + '/download?format=pem'))}>
            {t('cert.download_pem')}
          </button>
        ) : (
          <button type="button" id="open-download" onClick={() => setDialog('download')}>
            {t('cert.download')}
          </button>
        )}
        {managed && c.status === 'active' && (
          <button type="button" class="secondary" disabled={action.busy} onClick={() => setDialog('reissue')}>
            {t('cert.reissue')}
          </button>
        )}
        {managed && (
          <button type="button" class="secondary" disabled={action.busy} onClick={renew}>
            {t('cert.renew')}
          </button>
        )}
        {c.status === 'active' && managed && (
          <button type="button" class="danger" onClick={() => setDialog('revoke')}>
            {t('cert.revoke')}
          </button>
        )}
        <button type="button" class="danger secondary" onClick={() => setDialog('delete')}>
          {t('cert.delete')}
        </button>
      </div>
      <ErrorBox error={action.error} />
      <div class="grid2">
        <div class="card">
          <h2>{t('cert.details')}</h2>
          <dl class="facts">
            <dt>{t('certs.names')}</dt>
            <dd>
              <ul class="plain" id="cert-names">
                {c.names.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </dd>
            <dt>{t('cert.valid_from')}</dt>
            <dd>{formatDate(c.not_before)}</dd>
            <dt>{t('cert.valid_until')}</dt>
            <dd>
              {formatDate(c.not_after)} {c.status === 'active' && <span class="muted">({t('overview.expires_in', { days: daysUntil(c.not_after) })})</span>}
            </dd>
            <dt>{t('cert.serial')}</dt>
            <dd>
              <code>{c.serial}</code>
            </dd>
            <dt>{t('cert.issuer')}</dt>
            <dd id="cert-issuer">
              <code>{c.issuer}</code>
              {isUpstream(c) && <span class="hint">{t('cert.upstream_note')}</span>}
            </dd>
            <dt>{t('cert.key_held')}</dt>
            <dd>{c.private_key_held ? t('common.yes') : t('common.no')}</dd>
            {c.order_id && (
              <>
                <dt>{t('cert.order')}</dt>
                <dd>
                  <Link href={'/orders/' + c.order_id}>{c.order_id}</Link>
                </dd>
              </>
            )}
            {c.revoked_at && (
              <>
                <dt>{t('cert.revoked_at')}</dt>
                <dd>
                  {formatDate(c.revoked_at)} ({t(('reason.revoke.' + (c.revocation_reason || 'unspecified')) as any)})
                </dd>
              </>
            )}
          </dl>
        </div>
        <CertSettings cert={c} onChange={cert.set} />
      </div>
      {!discovered && <CertificateDeployment cert={c} />}
      <div class="card">
        <h2>{t('cert.pem')}</h2>
        {[c.certificate, c.chain].filter(Boolean).map((pem, i) => (
          <div key={i}>
            <h3>{i === 0 ? t('cert.certificate') : t('cert.chain')}</h3>
            <pre class="pem">{pem}</pre>
            <CopyButton text={pem!} label={i === 0 ? t('cert.certificate') : t('cert.chain')} />
          </div>
        ))}
      </div>
      {dialog === 'download' && <DownloadDialog cert={c} onClose={() => setDialog('')} />}
      {dialog === 'revoke' && <RevokeDialog certs={[c]} onClose={() => setDialog('')} onDone={(r) => r[0]?.value && cert.set(r[0].value)} />}
      {dialog === 'reissue' && (
        <ReissueDialog
          certs={[c]}
          onClose={() => setDialog('')}
          onDone={(r) => {
            if (r[0]?.value) navigate('/orders/' + r[0].value.id);
          }}
        />
      )}
      {dialog === 'delete' && (
        <Dialog title={t('cert.delete')} onClose={() => setDialog('')}>
          <p>{c.status === 'active' ? t('cert.delete_active') : t('cert.delete_text')}</p>
          <div class="actions">
            <button type="button" class="secondary" autofocus onClick={() => setDialog('')}>
              {t('action.keep')}
            </button>
            <button type="button" class="danger" disabled={action.busy} onClick={remove}>
              {t('cert.delete')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function CertSettings({ cert, onChange }: { cert: Certificate; onChange: (c: Certificate) => void }) {
  const [alias, setAlias] = useState(cert.alias || '');
  const [project, setProject] = useState(cert.project || '');
  const [enabled, setEnabled] = useState(cert.reminders_enabled);
  const [days, setDays] = useState((cert.reminder_days || []).join(', '));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const body: Record<string, unknown> = { alias, project, reminders_enabled: enabled };
    if (days.trim()) body.reminder_days = parseDays(days);
    const c = await action.run(() => patch<Certificate>('/certificates/' + cert.id, body));
    if (c) {
      onChange({ ...cert, ...c });
      setSaved(true);
    }
  };
  return (
    <form class="card" onSubmit={save}>
      <h2>{t('cert.settings')}</h2>
      <div class="field">
        <label for="cert-alias">{t('cert.alias')}</label>
        <input id="cert-alias" value={alias} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="cert-project">{t('certs.project')}</label>
        <input id="cert-project" value={project} onInput={(e) => setProject((e.target as HTMLInputElement).value)} />
      </div>
      <div class="check">
        <input id="cert-reminders" type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} />
        <label for="cert-reminders">{t('cert.reminders')}</label>
      </div>
      <div class="field">
        <label for="cert-days">{t('reminders.days')}</label>
        <input id="cert-days" value={days} placeholder={t('cert.days_default')} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
      </div>
      <ErrorBox error={action.error} />
      {saved && <p role="status">{t('common.saved')}</p>}
      <button type="submit" disabled={action.busy}>
        {t('action.save')}
      </button>
    </form>
  );
}

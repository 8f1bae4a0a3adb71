// Reviewing one order: the organization and people as applied for, the documents, the checks
// the reviewer made (phone, email), and the decision; a rejection needs the reason the
// applicant will read.
import { useState } from 'preact/hooks';
import { download, get, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import { navigate } from '../router';
import type { Order, Person } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

export function ReviewOrder({ id }: { id: string }) {
  const order = useLoad(() => get<Order>('/orders/' + id), [id]);
  const [phone, setPhone] = useState(false);
  const [email, setEmail] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const o = order.data;
  if (order.error) return <ErrorBox error={order.error} />;
  if (!o) return <Loading />;
  const decide = async (decision: 'approve' | 'reject') => {
    const done = await action.run(() =>
      post<Order>('/orders/' + o.id + '/review', {
        decision,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        checks: { phone_confirmed: phone, email_confirmed: email },
      }),
    );
    if (done) navigate('/review');
  };
  const org = o.application.organization;
  const contact = o.application.contact;
  return (
    <section>
      <p class="crumbs">
        <Link href="/review">{t('review.title')}</Link>
      </p>
      <h1>
        {o.names.join(', ')} <Badge kind="sub" value={o.sub_status} />
      </h1>
      <div class="grid2">
        <div class="card">
          <h2>{t('wizard.organization')}</h2>
          {org ? (
            <dl class="facts">
              {Object.entries(org)
                .filter(([k, v]) => v && k !== 'id')
                .map(([k, v]) => (
                  <>
                    <dt>{tMaybe('org.' + k, k)}</dt>
                    <dd>{String(v)}</dd>
                  </>
                ))}
            </dl>
          ) : (
            <Empty>{t('review.no_org')}</Empty>
          )}
        </div>
        <div class="card">
          <h2>{t('wizard.administrator')}</h2>
          <PersonFacts p={o.application.administrator} />
          <h3>{t('wizard.contact')}</h3>
          {contact === 'same_as_administrator' || !contact ? <p>{t('wizard.contact_same')}</p> : <PersonFacts p={contact} />}
        </div>
      </div>
      <div class="card">
        <h2>{t('docs.title')}</h2>
        {o.attachments.length ? (
          <ul class="plain" id="review-documents">
            {o.attachments.map((a) => (
              <li key={a.id}>
                <button type="button" class="secondary small" onClick={() => action.run(() => download('/orders/' + o.id + '/attachments/' + a.id))}>
                  {tMaybe('kind.' + a.kind, a.kind)}
                </button>{' '}
                <span class="muted">
                  {a.content_type} · {Math.ceil(a.size / 1024)} KB · {formatDate(a.uploaded_at)} · sha256 {a.sha256.slice(0, 12)}…
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t('docs.none')}</Empty>
        )}
      </div>
      <form class="card" onSubmit={(e) => e.preventDefault()}>
        <h2>{t('review.decision')}</h2>
        <fieldset>
          <legend>{t('review.checks')}</legend>
          <div class="check">
            <input id="check-phone" type="checkbox" checked={phone} onChange={(e) => setPhone((e.target as HTMLInputElement).checked)} />
            <label for="check-phone">{t('review.phone_confirmed')}</label>
          </div>
          <div class="check">
            <input id="check-email" type="checkbox" checked={email} onChange={(e) => setEmail((e.target as HTMLInputElement).checked)} />
            <label for="check-email">{t('review.email_confirmed')}</label>
          </div>
        </fieldset>
        <div class="field">
          <label for="review-reason-input">{t('review.reason')}</label>
          <textarea id="review-reason-input" rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          <small class="hint">{t('review.reason_hint')}</small>
        </div>
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" disabled={action.busy} onClick={() => decide('approve')}>
            {t('review.approve')}
          </button>
          <button type="button" class="danger" disabled={action.busy} onClick={() => decide('reject')}>
            {t('review.reject')}
          </button>
        </div>
      </form>
    </section>
  );
}

function PersonFacts({ p }: { p?: Person }) {
  if (!p) return <Empty>{t('review.no_person')}</Empty>;
  return (
    <dl class="facts">
      {(['name', 'position', 'phone', 'email'] as const).map((k) => (
        <>
          <dt>{t(('person.' + k) as any)}</dt>
          <dd>{p[k] || '—'}</dd>
        </>
      ))}
    </dl>
  );
}

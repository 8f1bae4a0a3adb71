// OV/EV documents: the confirmation-letter template to print, sign and stamp, the uploads so
// far, and an upload form (the server judges the file by its content: JPG, PNG or PDF).
import { useState } from 'preact/hooks';
import { download, raw } from '../api';
import { useAction } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import type { Order } from '../types';
import { Empty } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { allows } from './orderState';

const KINDS = ['confirmation_letter', 'application_form', 'service_agreement', 'business_license', 'id_card_front', 'id_card_back'];

export function Attachments({ order, onChange }: { order: Order; onChange: () => void }) {
  const [kind, setKind] = useState(KINDS[0]);
  const [file, setFile] = useState<File | null>(null);
  const action = useAction();
  const canUpload = allows(order, 'upload_attachment');
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const done = await action.run(async () => {
      await raw('POST', '/orders/' + order.id + '/attachments?kind=' + kind, await file.arrayBuffer(), file.type || 'application/octet-stream');
      return true;
    });
    if (done) {
      setFile(null);
      (document.getElementById('attachment-file') as HTMLInputElement).value = '';
      onChange();
    }
  };
  return (
    <section class="card" aria-labelledby="docs-title">
      <h2 id="docs-title">{t('docs.title')}</h2>
      <p class="muted">{t('docs.intro')}</p>
      <p>
        <button type="button" class="secondary" onClick={() => action.run(() => download('/orders/' + order.id + '/confirmation-letter-template'))}>
          {t('docs.template')}
        </button>
      </p>
      {order.attachments.length ? (
        <ul class="plain" id="attachment-list">
          {order.attachments.map((a) => (
            <li key={a.id}>
              {tMaybe('kind.' + a.kind, a.kind)} · {a.content_type} · {Math.ceil(a.size / 1024)} KB · {formatDate(a.uploaded_at)}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>{t('docs.none')}</Empty>
      )}
      {canUpload && (
        <form onSubmit={upload} class="row wrap">
          <div class="field">
            <label for="attachment-kind">{t('docs.kind')}</label>
            <select id="attachment-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {tMaybe('kind.' + k, k)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="attachment-file">{t('docs.file')}</label>
            <input id="attachment-file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] || null)} />
          </div>
          <button type="submit" disabled={!file || action.busy}>
            {t('docs.upload')}
          </button>
        </form>
      )}
      <ErrorBox error={action.error} />
    </section>
  );
}

// API keys for scripts and ACME External Account Binding keys for ACME clients. Secrets are in
// the creation response only, so they are shown once with a copy button.
import { useState } from 'preact/hooks';
import { all, del, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, type Key } from '../i18n';
import { CopyButton, Empty, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

interface KeyRow {
  id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at?: string | null;
  key_id?: string;
  acme_account?: string | null;
}

export function Keys() {
  return (
    <section>
      <h1>{t('keys.title')}</h1>
      <KeyList path="/api-keys" title="keys.api" intro="keys.api_intro" prefix="api" secretFields={['key']} />
      <KeyList path="/eab-keys" title="keys.eab" intro="keys.eab_intro" prefix="eab" secretFields={['key_id', 'hmac_key']} ovProfiles />
    </section>
  );
}

interface Profile {
  id: string;
  name: string;
}

function KeyList(props: { path: string; title: Key; intro: Key; prefix: string; secretFields: string[]; ovProfiles?: boolean }) {
  const list = useLoad(() => all<KeyRow>(props.path));
  // An EAB key may name a saved organization and administrator: its ACME account can then use
  // OV profiles (docs/ACME.md).
  const profiles = useLoad(async () =>
    props.ovProfiles ? Promise.all([all<Profile>('/organizations'), all<Profile>('/administrators')]) : [[], []],
  );
  const [organization, setOrganization] = useState('');
  const [administrator, setAdministrator] = useState('');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Record<string, string> | null>(null);
  const action = useAction();
  const create = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = { name };
    if (organization && administrator) {
      body.organization_id = organization;
      body.administrator_id = administrator;
    }
    const k = await action.run(() => post<Record<string, string>>(props.path, body));
    if (k) {
      setCreated(k);
      setName('');
      list.reload();
    }
  };
  const revoke = async (id: string) => {
    if (await action.run(async () => (await del(props.path + '/' + id), true))) list.reload();
  };
  const active = (list.data || []).filter((k) => !k.revoked_at);
  return (
    <div class="card" id={props.prefix + '-keys'}>
      <h2>{t(props.title)}</h2>
      <p class="muted">{t(props.intro)}</p>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : active.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('keys.name')}</th>
                <th scope="col">{t('keys.created')}</th>
                <th scope="col">{t('keys.used')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {active.map((k) => (
                <tr key={k.id}>
                  <td>{k.name || k.key_id || k.id}</td>
                  <td>{formatDate(k.created_at)}</td>
                  <td>{k.acme_account ? k.acme_account : formatDate(k.last_used_at)}</td>
                  <td>
                    <button type="button" class="danger small" aria-label={t('keys.revoke_named', { name: k.name || k.id })} onClick={() => revoke(k.id)}>
                      {t('keys.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !list.error && <Empty>{t('keys.none')}</Empty>
      )}
      {created && (
        <div class="success" role="status">
          <strong>{t('keys.shown_once')}</strong>
          {props.secretFields.map((f) => (
            <p key={f}>
              <code class="copyable" data-field={f}>
                {created[f]}
              </code>{' '}
              <CopyButton text={created[f] || ''} label={f} />
            </p>
          ))}
        </div>
      )}
      <form onSubmit={create} class="row wrap">
        <div class="field">
          <label for={props.prefix + '-name'}>{t('keys.name')}</label>
          <input id={props.prefix + '-name'} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
        {props.ovProfiles && profiles.data && profiles.data[0].length > 0 && (
          <>
            <div class="field">
              <label for={props.prefix + '-organization'}>{t('keys.eab_organization')}</label>
              <select id={props.prefix + '-organization'} value={organization} onChange={(e) => setOrganization((e.target as HTMLSelectElement).value)}>
                <option value="">{t('keys.eab_dv_only')}</option>
                {profiles.data[0].map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={props.prefix + '-administrator'}>{t('keys.eab_administrator')}</label>
              <select id={props.prefix + '-administrator'} value={administrator} onChange={(e) => setAdministrator((e.target as HTMLSelectElement).value)}>
                <option value="">{t('keys.eab_dv_only')}</option>
                {profiles.data[1].map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <button type="submit" disabled={action.busy}>
          {t('keys.create')}
        </button>
      </form>
      <ErrorBox error={action.error} />
    </div>
  );
}

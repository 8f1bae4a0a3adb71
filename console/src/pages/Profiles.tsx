// Saved profiles: organizations and administrators to reuse in applications (added, edited with
// PUT, deleted), and the domains already validated for the account (reused until the date shown).
import { useState } from 'preact/hooks';
import { all, del, post, put } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe, type Key } from '../i18n';
import type { Organization, Person } from '../types';
import { Empty, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { emptyOrg, emptyPerson, Inputs, orgFields, PERSON_FIELDS, profileBody } from './PartiesStep';

export function Profiles() {
  return (
    <section>
      <h1>{t('profiles.title')}</h1>
      <ProfileList<Organization> title="profiles.organizations" path="/organizations" prefix="new-org" fields={orgFields(false)} empty={emptyOrg} />
      <ProfileList<Person> title="profiles.administrators" path="/administrators" prefix="new-admin" fields={PERSON_FIELDS} empty={emptyPerson} />
      <Domains />
    </section>
  );
}

function ProfileList<T extends object>(props: { title: Key; path: string; prefix: string; fields: [keyof T, Key, string?][]; empty: () => T }) {
  const list = useLoad(() => all<T & { id: string; name: string }>(props.path));
  const [value, setValue] = useState<T>(props.empty());
  const [editing, setEditing] = useState<(T & { id: string; name: string }) | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const edit = useAction();
  const add = async (e: Event) => {
    e.preventDefault();
    setNotice('');
    const done = await action.run(() => post(props.path, profileBody(props.path, value)));
    if (done) {
      setValue(props.empty());
      list.reload();
    }
  };
  const update = async (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    const done = await edit.run(() => put<{ name: string }>(props.path + '/' + editing.id, profileBody(props.path, editing)));
    if (done) {
      setEditing(null);
      setNotice(t('profiles.updated', { name: done.name }));
      list.reload();
    }
  };
  const remove = async (id: string) => {
    setNotice('');
    if (await action.run(async () => (await del(props.path + '/' + id), true))) list.reload();
  };
  return (
    <div class="card" data-profiles={props.path.slice(1)}>
      <h2>{t(props.title)}</h2>
      <ErrorBox error={list.error} />
      {notice && <p role="status">{notice}</p>}
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data?.length ? (
        <ul class="plain">
          {list.data.map((p) =>
            editing?.id === p.id ? (
              <li key={p.id}>
                <form onSubmit={update} class="profile-edit">
                  <h3>{t('profiles.edit_title', { name: p.name })}</h3>
                  <Inputs prefix={props.prefix + '-edit'} fields={props.fields} value={editing} onChange={(v) => setEditing(v)} />
                  <ErrorBox error={edit.error} />
                  <div class="actions">
                    <button type="submit" disabled={edit.busy}>
                      {t('action.save')}
                    </button>
                    <button type="button" class="secondary" onClick={() => setEditing(null)}>
                      {t('action.cancel')}
                    </button>
                  </div>
                </form>
              </li>
            ) : (
              <li key={p.id} class="row">
                <span>
                  <strong>{p.name}</strong>{' '}
                  <span class="muted">
                    {props.fields
                      .slice(1)
                      .map(([f]) => (p as any)[f])
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                </span>
                <span class="row-actions">
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={t('action.edit_what', { what: p.name })}
                    onClick={() => {
                      setNotice('');
                      setEditing({ ...p });
                    }}
                  >
                    {t('action.edit')}
                  </button>{' '}
                  <button type="button" class="secondary small" aria-label={t('action.delete_what', { what: p.name })} onClick={() => remove(p.id)}>
                    {t('action.delete')}
                  </button>
                </span>
              </li>
            ),
          )}
        </ul>
      ) : (
        <Empty>{t('profiles.none')}</Empty>
      )}
      <form onSubmit={add}>
        <h3>{t('profiles.add')}</h3>
        <Inputs prefix={props.prefix} fields={props.fields} value={value} onChange={setValue} />
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t('action.save')}
        </button>
      </form>
    </div>
  );
}

function Domains() {
  const domains = useLoad(() =>
    all<{ domain: string; method: string; validated_at: string; valid_until: string; covers_subdomains: boolean }>('/domains'),
  );
  return (
    <div class="card">
      <h2>{t('profiles.domains')}</h2>
      <p class="muted">{t('profiles.domains_intro')}</p>
      <ErrorBox error={domains.error} />
      {domains.data?.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('filter.domain')}</th>
                <th scope="col">{t('wizard.method')}</th>
                <th scope="col">{t('profiles.validated')}</th>
                <th scope="col">{t('profiles.valid_until')}</th>
              </tr>
            </thead>
            <tbody>
              {domains.data.map((d) => (
                <tr key={d.domain}>
                  <td>
                    {d.domain} {d.covers_subdomains && <span class="muted">({t('profiles.subdomains')})</span>}
                  </td>
                  <td>{tMaybe('method.' + d.method, d.method)}</td>
                  <td>{formatDate(d.validated_at)}</td>
                  <td>{formatDate(d.valid_until, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !domains.loading && <Empty>{t('profiles.domains_none')}</Empty>
      )}
    </div>
  );
}

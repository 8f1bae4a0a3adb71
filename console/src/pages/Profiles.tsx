// Saved profiles: organizations and administrators to reuse in applications, and the domains
// already validated for the account (reused until the date shown).
import { useState } from 'preact/hooks';
import { all, del, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe, type Key } from '../i18n';
import type { Organization, Person } from '../types';
import { Empty, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { emptyOrg, emptyPerson, orgFields, PERSON_FIELDS } from './PartiesStep';

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
  const action = useAction();
  const add = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(() => post(props.path, value));
    if (done) {
      setValue(props.empty());
      list.reload();
    }
  };
  const remove = async (id: string) => {
    if (await action.run(async () => (await del(props.path + '/' + id), true))) list.reload();
  };
  return (
    <div class="card">
      <h2>{t(props.title)}</h2>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data?.length ? (
        <ul class="plain">
          {list.data.map((p) => (
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
              <button type="button" class="secondary small" aria-label={t('action.delete_what', { what: p.name })} onClick={() => remove(p.id)}>
                {t('action.delete')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>{t('profiles.none')}</Empty>
      )}
      <form onSubmit={add}>
        <h3>{t('profiles.add')}</h3>
        <div class="grid2">
          {props.fields.map(([f, label, auto]) => (
            <div class="field" key={String(f)}>
              <label for={props.prefix + '-' + String(f)}>{t(label)}</label>
              <input
                id={props.prefix + '-' + String(f)}
                autocomplete={auto}
                value={String((value as any)[f] ?? '')}
                onInput={(e) => setValue({ ...value, [f]: (e.target as HTMLInputElement).value })}
              />
            </div>
          ))}
        </div>
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

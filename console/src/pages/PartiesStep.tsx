// Step 3 of the wizard: who applies. A saved organization or administrator can be picked (sent
// by id, so the profile is reused as is), edited in place (PUT, for this and later orders), or a
// new one typed in and optionally saved. Errors the server reports for a field show at it.
import { useState } from 'preact/hooks';
import { post, put } from '../api';
import { useAction } from '../hooks';
import { t, type Key } from '../i18n';
import type { Organization, Person } from '../types';
import { ErrorBox } from '../components/ErrorBox';

export interface PartyState<T> {
  savedId: string; // '' = typed in below
  value: T;
  save: boolean;
  /** Changing the saved profile (its fields are editable; saving PUTs it). */
  editing?: boolean;
}

export const emptyOrg = (): Organization => ({
  name: '', department: '', country: '', province: '', city: '', address: '', phone: '',
});
export const emptyPerson = (): Person => ({ name: '', position: '', phone: '', email: '' });

/** The fields a saved profile has (the API refuses others, e.g. an EV order's extra ones). */
export const ORG_PROFILE_FIELDS = ['name', 'department', 'country', 'province', 'city', 'address', 'phone'] as const;
export const PERSON_PROFILE_FIELDS = ['name', 'position', 'phone', 'email'] as const;

export function profileBody(path: string, value: object): Record<string, string> {
  const fields: readonly string[] = path === '/organizations' ? ORG_PROFILE_FIELDS : PERSON_PROFILE_FIELDS;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = (value as Record<string, unknown>)[f];
    if (typeof v === 'string' && v.trim() !== '') out[f] = v.trim();
  }
  return out;
}

const ORG_FIELDS: [keyof Organization, Key, string?][] = [
  ['name', 'org.name', 'organization'],
  ['department', 'org.department'],
  ['country', 'org.country', 'country'],
  ['province', 'org.province', 'address-level1'],
  ['city', 'org.city', 'address-level2'],
  ['address', 'org.address', 'street-address'],
  ['phone', 'org.phone', 'tel'],
];
const EV_FIELDS: [keyof Organization, Key][] = [
  ['registration_number', 'org.registration_number'],
  ['business_category', 'org.business_category'],
  ['jurisdiction_country', 'org.jurisdiction_country'],
];
export const PERSON_FIELDS: [keyof Person, Key, string][] = [
  ['name', 'person.name', 'name'],
  ['position', 'person.position', 'organization-title'],
  ['phone', 'person.phone', 'tel'],
  ['email', 'person.email', 'email'],
];

export function Inputs<T extends object>(props: {
  prefix: string;
  fields: [keyof T, Key, string?][];
  value: T;
  onChange: (v: T) => void;
  disabled?: boolean;
  errors?: Record<string, string>;
}) {
  return (
    <div class="grid2">
      {props.fields.map(([name, label, auto]) => {
        const id = props.prefix + '-' + String(name);
        const error = props.errors?.[id];
        return (
          <div class={'field' + (error ? ' invalid' : '')} key={String(name)}>
            <label for={id}>{t(label)}</label>
            <input
              id={id}
              autocomplete={auto}
              disabled={props.disabled}
              type={(name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text') as any}
              value={String((props.value as any)[name] ?? '')}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? id + '-error' : undefined}
              onInput={(e) => props.onChange({ ...props.value, [name]: (e.target as HTMLInputElement).value })}
            />
            {error && (
              <small class="field-error" id={id + '-error'} role="alert">
                {error}
              </small>
            )}
          </div>
        );
      })}
    </div>
  );
}

export function PartyPicker<T extends { id?: string; name: string }>(props: {
  legend: string;
  prefix: string;
  /** '/organizations' or '/administrators': where a profile is saved. */
  path: string;
  saved: (T & { id: string })[];
  onSaved: (profile: T & { id: string }) => void;
  state: PartyState<T>;
  onChange: (s: PartyState<T>) => void;
  fields: [keyof T, Key, string?][];
  errors?: Record<string, string>;
}) {
  const { state, onChange, saved, prefix } = props;
  const action = useAction();
  const [updated, setUpdated] = useState(false);
  const chosen = saved.find((s) => s.id === state.savedId);
  const saveProfile = async () => {
    setUpdated(false);
    const p = await action.run(() => put<T & { id: string }>(props.path + '/' + state.savedId, profileBody(props.path, state.value)));
    if (p) {
      props.onSaved(p);
      onChange({ ...state, value: { ...state.value, ...p }, editing: false });
      setUpdated(true);
    }
  };
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {saved.length > 0 && (
        <div class="field">
          <label for={prefix + '-saved'}>{t('wizard.saved_profile')}</label>
          <select
            id={prefix + '-saved'}
            value={state.savedId}
            onChange={(e) => {
              const id = (e.target as HTMLSelectElement).value;
              const found = saved.find((s) => s.id === id);
              setUpdated(false);
              onChange({ ...state, savedId: id, editing: false, value: found ? { ...state.value, ...found } : state.value });
            }}
          >
            <option value="">{t('wizard.enter_new')}</option>
            {saved.map((s) => (
              <option value={s.id} key={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <Inputs
        prefix={prefix}
        fields={props.fields}
        value={state.value}
        disabled={state.savedId !== '' && !state.editing}
        errors={props.errors}
        onChange={(v) => onChange({ ...state, value: v })}
      />
      {state.savedId === '' ? (
        <div class="check">
          <input id={prefix + '-save'} type="checkbox" checked={state.save} onChange={(e) => onChange({ ...state, save: (e.target as HTMLInputElement).checked })} />
          <label for={prefix + '-save'}>{t('wizard.save_profile')}</label>
        </div>
      ) : state.editing ? (
        <div class="actions">
          <p class="hint">{t('wizard.profile_editing')}</p>
          <button type="button" class="small" id={prefix + '-profile-save'} disabled={action.busy} onClick={saveProfile}>
            {t('wizard.profile_save')}
          </button>
          <button
            type="button"
            class="small secondary"
            onClick={() => onChange({ ...state, editing: false, value: chosen ? { ...state.value, ...chosen } : state.value })}
          >
            {t('action.cancel')}
          </button>
        </div>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="small secondary"
            id={prefix + '-profile-edit'}
            onClick={() => {
              setUpdated(false);
              onChange({ ...state, editing: true });
            }}
          >
            {t('wizard.profile_edit')}
          </button>
          {updated && (
            <span role="status" class="muted">
              {t('wizard.profile_saved')}
            </span>
          )}
        </div>
      )}
      <ErrorBox error={action.error} />
    </fieldset>
  );
}

/** Saves a typed-in party as a profile (POST) or an edited saved one (PUT); returns its id. */
export async function persistParty<T extends object>(path: string, s: PartyState<T>): Promise<string> {
  if (s.savedId && s.editing) return (await put<{ id: string }>(path + '/' + s.savedId, profileBody(path, s.value))).id;
  if (s.savedId) return s.savedId;
  return (await post<{ id: string }>(path, profileBody(path, s.value))).id;
}

export function orgFields(ev: boolean): [keyof Organization, Key, string?][] {
  return ev ? [...ORG_FIELDS, ...EV_FIELDS] : ORG_FIELDS;
}

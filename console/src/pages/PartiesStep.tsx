// Step 3 of the wizard: who applies. A saved organization or administrator can be picked (sent
// by id, so the profile is reused as is) or a new one typed in and optionally saved.
import { t, type Key } from '../i18n';
import type { Organization, Person } from '../types';

export interface PartyState<T> {
  savedId: string; // '' = typed in below
  value: T;
  save: boolean;
}

export const emptyOrg = (): Organization => ({
  name: '', department: '', country: '', province: '', city: '', address: '', phone: '',
});
export const emptyPerson = (): Person => ({ name: '', position: '', phone: '', email: '' });

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

function Inputs<T extends object>(props: {
  prefix: string;
  fields: [keyof T, Key, string?][];
  value: T;
  onChange: (v: T) => void;
  disabled: boolean;
}) {
  return (
    <div class="grid2">
      {props.fields.map(([name, label, auto]) => {
        const id = props.prefix + '-' + String(name);
        return (
          <div class="field" key={String(name)}>
            <label for={id}>{t(label)}</label>
            <input
              id={id}
              autocomplete={auto}
              disabled={props.disabled}
              type={(name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text') as any}
              value={String((props.value as any)[name] ?? '')}
              onInput={(e) => props.onChange({ ...props.value, [name]: (e.target as HTMLInputElement).value })}
            />
          </div>
        );
      })}
    </div>
  );
}

export function PartyPicker<T extends { id?: string; name: string }>(props: {
  legend: string;
  prefix: string;
  saved: (T & { id: string })[];
  state: PartyState<T>;
  onChange: (s: PartyState<T>) => void;
  fields: [keyof T, Key, string?][];
}) {
  const { state, onChange, saved, prefix } = props;
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
              onChange({ ...state, savedId: id, value: found ? { ...found } : state.value });
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
      <Inputs prefix={prefix} fields={props.fields} value={state.value} disabled={state.savedId !== ''} onChange={(v) => onChange({ ...state, value: v })} />
      {state.savedId === '' && (
        <div class="check">
          <input id={prefix + '-save'} type="checkbox" checked={state.save} onChange={(e) => onChange({ ...state, save: (e.target as HTMLInputElement).checked })} />
          <label for={prefix + '-save'}>{t('wizard.save_profile')}</label>
        </div>
      )}
    </fieldset>
  );
}

export function orgFields(ev: boolean): [keyof Organization, Key, string?][] {
  return ev ? [...ORG_FIELDS, ...EV_FIELDS] : ORG_FIELDS;
}

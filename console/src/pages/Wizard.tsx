// Completing the information: domains, key (online or CSR), who applies, and the validation
// method; "save draft" PUTs what is there, "submit" PUTs then submits. After a failed review
// only the parties may change (names, key and method are fixed by the server).
//
// Nothing typed is lost: the form is also kept in this browser (without the key password) until
// the server has it, so a refused submit, a reload or a lost connection brings it back. A
// problem the server reports for a field (its `field` member, the field it quotes in `detail`, or
// what its code is about) is shown at that field, which gets the focus. DV needs no
// organization, so a DV order starts as an individual's; a saved organization or administrator
// is chosen already when it is the only one or the one used last.
import { useEffect, useState } from 'preact/hooks';
import { all, ApiError, get, post, put } from '../api';
import { useAction, useLoad } from '../hooks';
import { t } from '../i18n';
import { useProductName } from '../lookup';
import { checkNames, normalizeName } from '../nameRules';
import { navigate } from '../router';
import { useSession } from '../session';
import type { Application, Order, Organization, Person, Product } from '../types';
import { Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { DomainsStep } from './DomainsStep';
import { keyBody, KeyStep, type KeyState } from './KeyStep';
import { emptyOrg, emptyPerson, orgFields, PartyPicker, persistParty, PERSON_FIELDS, type PartyState } from './PartiesStep';
import { allows } from './orderState';

type SavedOrg = Organization & { id: string };
type SavedPerson = Person & { id: string };

interface Loaded {
  order: Order;
  product?: Product;
  orgs: SavedOrg[];
  admins: SavedPerson[];
}

export function Wizard({ id }: { id: string }) {
  const loaded = useLoad<Loaded>(async () => {
    const [order, products, orgs, admins] = await Promise.all([
      get<Order>('/orders/' + id),
      all<Product>('/products'),
      all<SavedOrg>('/organizations'),
      all<SavedPerson>('/administrators'),
    ]);
    return { order, product: products.find((p) => p.id === order.product), orgs, admins };
  }, [id]);
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <WizardForm {...loaded.data} />;
}

/** What the form holds, as kept in the browser between attempts (never the key password). */
interface Draft {
  names: string[];
  key: KeyState;
  applicant: 'company' | 'individual';
  org: PartyState<Organization>;
  admin: PartyState<Person>;
  sameContact: boolean;
  contact: PartyState<Person>;
  method: string;
}

const draftKey = (orderId: string) => 'signet.draft.' + orderId;
function readDraft(orderId: string): Draft | null {
  try {
    const d = JSON.parse(localStorage.getItem(draftKey(orderId)) || 'null');
    return d && Array.isArray(d.names) ? (d as Draft) : null;
  } catch {
    return null;
  }
}
const lastUsedKey = (account: string, what: string) => 'signet.last.' + account + '.' + what;

/** The saved profile to start with: the one the application names, else the only one, else the
 * one used last in this account. */
function preselect<T extends { id: string }>(saved: T[], fromApp: string | undefined, typedIn: boolean, last: string | null): string {
  if (fromApp && saved.some((s) => s.id === fromApp)) return fromApp;
  if (typedIn) return '';
  if (saved.length === 1) return saved[0].id;
  if (last && saved.some((s) => s.id === last)) return last;
  return '';
}

function WizardForm({ order, product, orgs: initialOrgs, admins: initialAdmins }: Loaded) {
  const { session } = useSession();
  const account = session.account?.id || session.user.account_id;
  const productName = useProductName();
  const app: Application = order.application || {};
  const locked = order.status !== 'pending_information';
  const isDv = order.type === 'dv';
  const max = product?.max_domains ?? 1;
  const [orgs, setOrgs] = useState(initialOrgs);
  const [admins, setAdmins] = useState(initialAdmins);
  const [restored] = useState(() => readDraft(order.id));
  const [notice, setNotice] = useState(!!restored);

  const partyFrom = <T extends object>(saved: (T & { id: string })[], inline: T | undefined, fromApp: string | undefined, empty: () => T, what: string): PartyState<T> => {
    const typedIn = !!inline && Object.values(inline).some((v) => typeof v === 'string' && v !== '');
    const id = preselect(saved, fromApp, typedIn && !fromApp, localStorage.getItem(lastUsedKey(account, what)));
    const found = saved.find((s) => s.id === id);
    return { savedId: id, value: { ...empty(), ...(found || inline || {}) }, save: false };
  };

  const initial: Draft = restored || {
    names: app.domains?.length ? app.domains : [''],
    key: {
      mode: app.key?.csr ? 'csr' : 'generate',
      algorithm: app.key?.generate?.algorithm || 'ecdsa-p256',
      password: '',
      csr: app.key?.csr || '',
    },
    // DV needs no organization: an individual's unless the application says otherwise.
    applicant: app.applicant_type || (isDv ? 'individual' : 'company'),
    org: partyFrom<Organization>(initialOrgs, app.organization, app.organization_id, emptyOrg, 'org'),
    admin: partyFrom<Person>(initialAdmins, app.administrator, app.administrator_id, emptyPerson, 'admin'),
    sameContact: app.contact === undefined || app.contact === 'same_as_administrator',
    contact: { savedId: '', value: typeof app.contact === 'object' ? app.contact : emptyPerson(), save: false },
    method: app.validation_method || 'dns_txt',
  };
  const [names, setNames] = useState<string[]>(initial.names);
  const [key, setKey] = useState<KeyState>({ ...initial.key, password: '' });
  const [applicant, setApplicant] = useState<'company' | 'individual'>(initial.applicant);
  const [org, setOrg] = useState<PartyState<Organization>>(initial.org);
  const [admin, setAdmin] = useState<PartyState<Person>>(initial.admin);
  const [sameContact, setSameContact] = useState(initial.sameContact);
  const [contact, setContact] = useState<PartyState<Person>>(initial.contact);
  const [method, setMethod] = useState(initial.method);
  const action = useAction();
  const needsOrg = !isDv || applicant === 'company';
  const nameProblems = checkNames(names, product, max);

  // Every change is kept in this browser until the server has it.
  const [dirty, setDirty] = useState(!!restored);
  const first = useState({ run: true })[0];
  useEffect(() => {
    if (first.run) {
      first.run = false;
      return;
    }
    setDirty(true);
    const draft: Draft = { names, key: { ...key, password: '' }, applicant, org, admin, sameContact, contact, method };
    try {
      localStorage.setItem(draftKey(order.id), JSON.stringify(draft));
    } catch {
      // storage full or refused: the form still holds it
    }
  }, [names, key, applicant, org, admin, sameContact, contact, method]);
  const forget = () => {
    localStorage.removeItem(draftKey(order.id));
    setDirty(false);
  };
  const discardRestored = () => {
    localStorage.removeItem(draftKey(order.id));
    location.reload();
  };

  useEffect(() => {
    document.getElementById('domain-0')?.focus();
  }, []);

  const fieldError = action.error ? fieldOf(action.error, names) : null;
  const errors: Record<string, string> = fieldError ? { [fieldError.id]: fieldError.text } : {};
  // The field a refusal is about gets the focus (the summary below says it too).
  useEffect(() => {
    if (fieldError) document.getElementById(fieldError.id)?.focus();
  }, [action.error]);

  const rememberProfiles = () => {
    if (needsOrg && org.savedId) localStorage.setItem(lastUsedKey(account, 'org'), org.savedId);
    if (admin.savedId) localStorage.setItem(lastUsedKey(account, 'admin'), admin.savedId);
  };

  /** Saves profiles asked for first (and keeps their ids in the form, so a second attempt after
   * a refusal does not save them twice), then the application's body. */
  const body = async (): Promise<Record<string, unknown>> => {
    const b: Record<string, unknown> = {};
    if (!locked) {
      b.domains = names.map(normalizeName).filter(Boolean);
      b.key = keyBody(key);
      b.validation_method = method;
      if (isDv) b.applicant_type = applicant;
    }
    if (needsOrg) {
      if (org.savedId || org.save) {
        const id = await persistParty('/organizations', org).catch(aboutParty('organization'));
        if (id !== org.savedId || org.editing) {
          const saved: SavedOrg = { ...org.value, id };
          setOrgs((list) => [...list.filter((o) => o.id !== id), saved]);
          setOrg({ savedId: id, value: saved, save: false, editing: false });
        }
        b.organization_id = id;
      } else b.organization = org.value;
    }
    if (admin.savedId || admin.save) {
      const id = await persistParty('/administrators', admin).catch(aboutParty('administrator'));
      if (id !== admin.savedId || admin.editing) {
        const saved: SavedPerson = { ...admin.value, id };
        setAdmins((list) => [...list.filter((o) => o.id !== id), saved]);
        setAdmin({ savedId: id, value: saved, save: false, editing: false });
      }
      b.administrator_id = id;
    } else b.administrator = admin.value;
    b.contact = sameContact ? 'same_as_administrator' : contact.value;
    return b;
  };

  const [saved, setSaved] = useState(false);
  const save = async () => {
    setSaved(false);
    const o = await action.run(async () => put<Order>('/orders/' + order.id + '/application', await body()));
    if (o) {
      forget();
      rememberProfiles();
      setSaved(true);
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const done = await action.run(async () => {
      await put<Order>('/orders/' + order.id + '/application', await body());
      return post<Order>('/orders/' + order.id + (allows(order, 'resubmit') ? '/resubmit' : '/submit'));
    });
    if (done) {
      forget();
      rememberProfiles();
      navigate('/orders/' + order.id);
    }
  };

  return (
    <section>
      <p class="crumbs">
        <Link href={'/orders/' + order.id}>{t('wizard.back_to_order')}</Link>
      </p>
      <h1>{t('wizard.title')}</h1>
      <p class="muted">
        {productName(order.product)} · <code>{order.id}</code>
      </p>
      {notice && (
        <div class="notice" role="status" id="draft-restored">
          {t('wizard.draft_restored')}{' '}
          <button type="button" class="small secondary" onClick={() => setNotice(false)}>
            {t('action.close')}
          </button>{' '}
          <button type="button" class="small secondary" onClick={discardRestored}>
            {t('wizard.draft_discard')}
          </button>
        </div>
      )}
      <form onSubmit={submit} class="wizard" noValidate>
        <DomainsStep names={names} onChange={setNames} product={product} max={max} locked={locked} serverError={fieldError?.id.startsWith('domain-') ? fieldError : undefined} />
        <KeyStep
          state={key}
          onChange={setKey}
          locked={locked}
          error={
            fieldError?.id === 'key-csr'
              ? { field: 'csr', text: fieldError.text }
              : fieldError?.id === 'key-password'
                ? { field: 'password', text: fieldError.text }
                : fieldError?.id === 'key-algorithm'
                  ? { field: 'algorithm', text: fieldError.text }
                  : undefined
          }
        />
        {isDv && (
          <fieldset aria-describedby={errors['applicant-individual'] ? 'applicant-error' : undefined}>
            <legend>{t('wizard.applicant_type')}</legend>
            {(['individual', 'company'] as const).map((v) => (
              <div class="check" key={v}>
                <input type="radio" name="applicant" id={'applicant-' + v} checked={applicant === v} disabled={locked} onChange={() => setApplicant(v)} />
                <label for={'applicant-' + v}>{t(('wizard.applicant_' + v) as any)}</label>
              </div>
            ))}
            <small class="hint">{t('wizard.applicant_dv_hint')}</small>
            {errors['applicant-individual'] && (
              <small class="field-error" id="applicant-error" role="alert">
                {errors['applicant-individual']}
              </small>
            )}
          </fieldset>
        )}
        {needsOrg && (
          <PartyPicker
            legend={t('wizard.organization')}
            prefix="org"
            path="/organizations"
            saved={orgs}
            onSaved={(p) => setOrgs((list) => list.map((o) => (o.id === p.id ? p : o)))}
            state={org}
            onChange={setOrg}
            fields={orgFields(order.type === 'ev')}
            errors={errors}
          />
        )}
        <PartyPicker
          legend={t('wizard.administrator')}
          prefix="admin"
          path="/administrators"
          saved={admins}
          onSaved={(p) => setAdmins((list) => list.map((o) => (o.id === p.id ? p : o)))}
          state={admin}
          onChange={setAdmin}
          fields={PERSON_FIELDS}
          errors={errors}
        />
        <fieldset>
          <legend>{t('wizard.contact')}</legend>
          <div class="check">
            <input id="contact-same" type="checkbox" checked={sameContact} onChange={(e) => setSameContact((e.target as HTMLInputElement).checked)} />
            <label for="contact-same">{t('wizard.contact_same')}</label>
          </div>
          {!sameContact && (
            <PartyPicker
              legend={t('wizard.contact_person')}
              prefix="contact"
              path="/administrators"
              saved={admins}
              onSaved={(p) => setAdmins((list) => list.map((o) => (o.id === p.id ? p : o)))}
              state={contact}
              onChange={setContact}
              fields={PERSON_FIELDS}
              errors={errors}
            />
          )}
        </fieldset>
        <fieldset>
          <legend>{t('wizard.method')}</legend>
          <div class={'field' + (errors.method ? ' invalid' : '')}>
            <label for="method">{t('wizard.method_label')}</label>
            <select id="method" value={method} disabled={locked} aria-invalid={errors.method ? 'true' : undefined} onChange={(e) => setMethod((e.target as HTMLSelectElement).value)}>
              {['dns_txt', 'dns_cname', 'file', 'email'].map((m) => (
                <option value={m} key={m}>
                  {t(('method.' + m) as any)}
                </option>
              ))}
            </select>
            <small class="hint">{t(('method.' + method + '_hint') as any)}</small>
            {errors.method && (
              <small class="field-error" role="alert">
                {errors.method}
              </small>
            )}
          </div>
        </fieldset>
        <ErrorBox error={action.error} />
        {fieldError && (
          <p class="hint" id="error-at-field">
            <a href={'#' + fieldError.id} onClick={(e) => { e.preventDefault(); document.getElementById(fieldError.id)?.focus(); }}>
              {t('wizard.error_at_field')}
            </a>
          </p>
        )}
        {action.error && dirty && <p class="hint">{t('wizard.draft_kept')}</p>}
        {saved && (
          <p role="status" class="success">
            {t('wizard.saved')}
          </p>
        )}
        <div class="actions">
          <button type="button" class="secondary" disabled={action.busy} onClick={save}>
            {t('wizard.save_draft')}
          </button>
          <button type="submit" disabled={action.busy || (!locked && nameProblems.length > 0)}>
            {allows(order, 'resubmit') ? t('order.resubmit') : t('wizard.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A field named in a problem's detail: quoted as 'administrator.email' in English, in quotes or
 * parentheses in a translated detail (（administrator.email）). */
const FIELD_NAME = /['‘“「（(]([a-z_]+(?:\.[a-z_]+)*(?:\[\d+\])?)['’”」）)]/;

/** A refusal to save a profile is about that party's field ('email' → 'administrator.email'). */
function aboutParty(party: string) {
  return (e: unknown): never => {
    if (e instanceof ApiError) {
      const quoted = e.field || FIELD_NAME.exec(e.detail || '')?.[1];
      throw new ApiError(e.status, e.code, e.title, e.detail, party + '.' + (quoted || 'name'));
    }
    throw e;
  };
}

/** Problem codes that are about one part of the form. */
const CODE_FIELDS: Record<string, string> = {
  duplicate_domain: 'domains',
  wildcard_first: 'domains',
  domain_allowance: 'domains',
  invalid_wildcard: 'domains',
  rejected_identifier: 'domains',
  surrounding_space: 'domains',
  csr_name_mismatch: 'key.csr',
  bad_csr: 'key.csr',
  individual_not_allowed: 'applicant_type',
  free_email: 'administrator.email',
  method_not_allowed: 'validation_method',
};

const PARTY_PREFIX: Record<string, string> = { organization: 'org', administrator: 'admin', contact: 'contact' };

/**
 * The form field a refusal is about, and what to say there: the problem's `field` member when
 * the server gives one, else the field its detail quotes ('administrator.email'), else what its
 * code concerns. For a domain the row that the detail names.
 */
export function fieldOf(e: ApiError, names: string[]): { id: string; text: string } | null {
  const quoted = FIELD_NAME.exec(e.detail || '')?.[1];
  let path = e.field || quoted || CODE_FIELDS[e.code] || '';
  if (!path && e.code === 'incomplete_application') {
    path = ['domains', 'key', 'organization', 'administrator'].find((p) => (e.detail || '').includes(p)) || '';
  }
  if (!path) return null;
  const text = e.detail || e.title || t('error.generic');
  const [head, ...rest] = path.replace(/\[(\d+)\]/, '.$1').split('.');
  const sub = rest.join('.');
  if (head === 'domains') {
    let row = /^\d+$/.test(rest[0] || '') ? Number(rest[0]) : -1;
    if (row < 0) {
      // The row whose name the detail mentions, else the first.
      const lower = (e.detail || '').toLowerCase();
      row = names.findIndex((n) => {
        const x = normalizeName(n);
        return x !== '' && new RegExp('(^|[^a-z0-9.*-])' + x.replace(/[.*]/g, '\\$&') + '($|[^a-z0-9-])').test(lower);
      });
    }
    return { id: 'domain-' + Math.max(row, 0), text };
  }
  if (head === 'key') return { id: sub.endsWith('csr') ? 'key-csr' : sub.endsWith('password') ? 'key-password' : 'key-algorithm', text };
  if (head === 'applicant_type') return { id: 'applicant-individual', text };
  if (head === 'validation_method' || head === 'dns_auto') return { id: 'method', text };
  if (head === 'organization_id') return { id: 'org-saved', text };
  if (head === 'administrator_id') return { id: 'admin-saved', text };
  const prefix = PARTY_PREFIX[head];
  if (prefix) return { id: prefix + '-' + (rest[0] || 'name'), text };
  return null;
}

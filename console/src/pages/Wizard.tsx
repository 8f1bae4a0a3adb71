// Completing the information: domains, key (online or CSR), who applies, and the validation
// method; "save draft" PUTs what is there, "submit" PUTs then submits. After a failed review
// only the parties may change (names, key and method are fixed by the server).
import { useEffect, useState } from 'preact/hooks';
import { all, get, post, put } from '../api';
import { useAction, useLoad } from '../hooks';
import { t, tMaybe } from '../i18n';
import { checkNames, normalizeName } from '../nameRules';
import { navigate } from '../router';
import type { Application, Order, Organization, Person, Product } from '../types';
import { Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { DomainsStep } from './DomainsStep';
import { KeyStep, type KeyState } from './KeyStep';
import { emptyOrg, emptyPerson, orgFields, PartyPicker, PERSON_FIELDS, type PartyState } from './PartiesStep';
import { allows } from './orderState';

interface Loaded {
  order: Order;
  product?: Product;
  orgs: (Organization & { id: string })[];
  admins: (Person & { id: string; name: string })[];
}

export function Wizard({ id }: { id: string }) {
  const loaded = useLoad<Loaded>(async () => {
    const [order, products, orgs, admins] = await Promise.all([
      get<Order>('/orders/' + id),
      all<Product>('/products'),
      all<Organization & { id: string }>('/organizations'),
      all<Person & { id: string }>('/administrators'),
    ]);
    return { order, product: products.find((p) => p.id === order.product), orgs, admins };
  }, [id]);
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <WizardForm {...loaded.data} />;
}

function WizardForm({ order, product, orgs, admins }: Loaded) {
  const app: Application = order.application || {};
  const locked = order.status !== 'pending_information';
  const isDv = order.type === 'dv';
  const max = product?.max_domains ?? 1;
  const [names, setNames] = useState<string[]>(app.domains?.length ? app.domains : ['']);
  const [key, setKey] = useState<KeyState>({
    mode: app.key?.csr ? 'csr' : 'generate',
    algorithm: app.key?.generate?.algorithm || 'ecdsa-p256',
    password: '',
    csr: app.key?.csr || '',
  });
  const [applicant, setApplicant] = useState<'company' | 'individual'>(app.applicant_type || 'company');
  const [org, setOrg] = useState<PartyState<Organization>>({ savedId: '', value: { ...emptyOrg(), ...(app.organization || {}) }, save: false });
  const [admin, setAdmin] = useState<PartyState<Person>>({ savedId: '', value: { ...emptyPerson(), ...(app.administrator || {}) }, save: false });
  const [sameContact, setSameContact] = useState(app.contact === undefined || app.contact === 'same_as_administrator');
  const [contact, setContact] = useState<PartyState<Person>>({
    savedId: '',
    value: typeof app.contact === 'object' ? app.contact : emptyPerson(),
    save: false,
  });
  const [method, setMethod] = useState(app.validation_method || 'dns_txt');
  const action = useAction();
  const needsOrg = !isDv || applicant === 'company';
  const nameProblems = checkNames(names, product, max);

  useEffect(() => {
    document.getElementById('domain-0')?.focus();
  }, []);

  const body = async (): Promise<Record<string, unknown>> => {
    const b: Record<string, unknown> = {};
    if (!locked) {
      b.domains = names.map(normalizeName).filter(Boolean);
      b.key =
        key.mode === 'csr'
          ? { csr: key.csr }
          : { generate: { algorithm: key.algorithm, ...(key.password ? { password: key.password } : {}) } };
      b.validation_method = method;
      if (isDv) b.applicant_type = applicant;
    }
    if (needsOrg) {
      if (org.savedId) b.organization_id = org.savedId;
      else {
        b.organization = org.value;
        if (org.save) b.organization_id = (await post<{ id: string }>('/organizations', org.value)).id;
        if (org.save) delete b.organization;
      }
    }
    if (admin.savedId) b.administrator_id = admin.savedId;
    else if (admin.save) b.administrator_id = (await post<{ id: string }>('/administrators', admin.value)).id;
    else b.administrator = admin.value;
    b.contact = sameContact ? 'same_as_administrator' : contact.value;
    return b;
  };

  const save = () => action.run(async () => put<Order>('/orders/' + order.id + '/application', await body()));
  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(async () => {
      await put<Order>('/orders/' + order.id + '/application', await body());
      return post<Order>('/orders/' + order.id + (allows(order, 'resubmit') ? '/resubmit' : '/submit'));
    });
    if (done) navigate('/orders/' + order.id);
  };

  return (
    <section>
      <p class="crumbs">
        <Link href={'/orders/' + order.id}>{t('wizard.back_to_order')}</Link>
      </p>
      <h1>{t('wizard.title')}</h1>
      <p class="muted">
        {tMaybe('product.' + order.product, product?.name || order.product)} · <code>{order.id}</code>
      </p>
      <form onSubmit={submit} class="wizard" noValidate>
        <DomainsStep names={names} onChange={setNames} product={product} max={max} locked={locked} />
        <KeyStep state={key} onChange={setKey} locked={locked} />
        {isDv && (
          <fieldset>
            <legend>{t('wizard.applicant_type')}</legend>
            {(['company', 'individual'] as const).map((v) => (
              <div class="check" key={v}>
                <input type="radio" name="applicant" id={'applicant-' + v} checked={applicant === v} disabled={locked} onChange={() => setApplicant(v)} />
                <label for={'applicant-' + v}>{t(('wizard.applicant_' + v) as any)}</label>
              </div>
            ))}
          </fieldset>
        )}
        {needsOrg && (
          <PartyPicker legend={t('wizard.organization')} prefix="org" saved={orgs} state={org} onChange={setOrg} fields={orgFields(order.type === 'ev')} />
        )}
        <PartyPicker legend={t('wizard.administrator')} prefix="admin" saved={admins} state={admin} onChange={setAdmin} fields={PERSON_FIELDS} />
        <fieldset>
          <legend>{t('wizard.contact')}</legend>
          <div class="check">
            <input id="contact-same" type="checkbox" checked={sameContact} onChange={(e) => setSameContact((e.target as HTMLInputElement).checked)} />
            <label for="contact-same">{t('wizard.contact_same')}</label>
          </div>
          {!sameContact && (
            <PartyPicker legend={t('wizard.contact_person')} prefix="contact" saved={admins} state={contact} onChange={setContact} fields={PERSON_FIELDS} />
          )}
        </fieldset>
        <fieldset>
          <legend>{t('wizard.method')}</legend>
          <div class="field">
            <label for="method">{t('wizard.method_label')}</label>
            <select id="method" value={method} disabled={locked} onChange={(e) => setMethod((e.target as HTMLSelectElement).value)}>
              {['dns_txt', 'dns_cname', 'file', 'email'].map((m) => (
                <option value={m} key={m}>
                  {t(('method.' + m) as any)}
                </option>
              ))}
            </select>
            <small class="hint">{t(('method.' + method + '_hint') as any)}</small>
          </div>
        </fieldset>
        <ErrorBox error={action.error} />
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

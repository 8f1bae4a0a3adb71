// A buyer's journey, run once in English and once in 中文 (every control found by the words of
// that language, from the console's own string tables), with a screenshot of each step and, in
// 中文, a check that no English is left on the screen apart from names and values:
//  1. the initial administrator signs in with the credentials the first start wrote
//     (data_dir/initial-admin.txt), lands on the overview of their own account (the first user runs
//     the whole service: the applicant's pages and the workbench, People and the audit log), opens
//     Purchase and Certificates, and invites the buyer as the owner of an account of their own;
//  2. the buyer opens the emailed link, chooses a password and lands in the account, whose empty
//     certificate list offers to buy or upload one;
//  3. a DV order for www.<name>: the wizard starts as an individual's (DV needs no organization);
//     a wrong email is refused by the server and shown at the email field, with nothing typed
//     lost, also over a reload; then it is submitted. ONE validation (of <name>) proves both
//     names; its TXT record is published under the host record in the registered domain, as a
//     DNS console asks for it; the order issues;
//  4. a second DV order, whose administrator is the saved profile chosen already; its validation
//     is left unpublished (it expires later, see expiredValidation);
//  5. the certificate is reissued through the confirmation, which offers the key (a new RSA key
//     here) and says when the old certificate is revoked (the server's hours);
//  6. the certificate list: search bound to ?q= (kept over a reload), an empty result, sort by
//     expiry done by the server, two certificates selected and downloaded as one zip;
//  7. a forgotten password: asked for from the sign-in page (the answer does not say whether the
//     address is known), set from the emailed link (the buyer's open session ends with it), the
//     sign-in page then has the address filled in and takes the new password; the used link is
//     refused;
//  8. sessions: with a second browser signed in, the first lists both (this one marked), signs
//     the other out, whose next request lands on the sign-in page; then "everywhere else" again.
//  Between 6 and 7, deployment (test/console/deploy.mjs): an SSH target for a real OpenSSH server,
//     its connection tested, and the reissued certificate deployed to it and served by nginx; then
//     monitoring (test/console/monitor.mjs): nginx sites watched, discovered, checked now, their
//     problems explained, a monitor's timeline, and the overview's numbers checked against the
//     API; then notification channels (test/console/channels.mjs): chat robots added, tested,
//     their monitor alerts switched to a daily digest.
// expiredValidation: after the server's clock moved 31 days on, the second order's validation has
// expired; the order says the validation stopped and must be started again (never "issuing");
// starting it again gives a new value, which is published, and the order issues.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { assert, englishLeaks, invitationLink, mails, publishTxt, resetLink, screenshot, strings, until, waitForMail } from './lib.mjs';
import { deploymentJourney } from './deploy.mjs';
import { monitoringJourney } from './monitor.mjs';
import { channelsJourney } from './channels.mjs';

const ISSUE_TIMEOUT = 120_000;
const nav = (page, name) => page.getByRole('navigation', { name: /Main|主导航/ }).getByRole('link', { name, exact: true });
const heading = (page, text) => page.getByRole('heading', { level: 1, name: text }).first().waitFor();
const localeOf = (lang) => (lang === 'zh' ? 'zh-CN' : 'en-US');

function person(lang) {
  return lang === 'zh'
    ? { name: '韩梅梅', position: '运维主管', phone: '+86 21 5555 0100', email: 'hanmeimei@example.com', promoted: '运维经理' }
    : { name: 'Jane Doe', position: 'Web lead', phone: '+1 415 555 0100', email: 'jane@example.com', promoted: 'Head of web' };
}

/** In 中文, fails on any English word left on the page (names and values aside). */
async function noEnglish(lang, page, what, allow = []) {
  if (lang !== 'zh') return;
  const leaks = await englishLeaks(page, allow);
  assert(!leaks.length, `no English on ${what} in 中文: ${leaks.join('; ')}`);
}

export async function buyerJourney(env, lang) {
  const { config, shots, newPage } = env;
  const T = strings(lang);
  const locale = localeOf(lang);
  const account = config.buyer_accounts[lang];
  const buyer = { email: `buyer-${lang}@example.com`, password: `buyer-${lang}-password-1` };
  const admin = person(lang);
  const shop = `${lang}-shop.insecure.test`;
  const late = `${lang}-late.insecure.test`;
  const shot = (page, n, name) => screenshot(page, shots, `${n}-${lang}-${name}`);
  const { promoted, ...details } = admin;
  const allow = [account, ...account.split('-'), ...admin.name.split(' '), ...admin.position.split(' '), ...promoted.split(' ')];

  // 1. The initial administrator, with the credentials of the first start.
  const staff = await newPage('admin-' + lang, undefined, locale);
  await staff.goto(config.url + '/');
  await staff.getByRole('heading', { name: T('signin.title') }).waitFor();
  await staff.getByLabel(T('signin.email')).fill(config.initial_admin.email);
  await staff.getByLabel(T('signin.password')).fill(config.initial_admin.password);
  await shot(staff, 30, 'admin-sign-in');
  await noEnglish(lang, staff, 'the sign-in page');
  await staff.getByRole('button', { name: T('signin.submit') }).click();
  await staff.getByRole('button', { name: T('nav.sign_out') }).waitFor();
  // The first user runs the whole service: the overview of their own account, with every
  // applicant's page besides the workbench, People and the audit log.
  await heading(staff, T('overview.title'));
  assert(new URL(staff.url()).pathname === '/', 'the administrator lands on the overview: ' + staff.url());
  for (const key of ['nav.overview', 'nav.purchase', 'nav.orders', 'nav.certificates', 'nav.profiles', 'nav.keys',
    'nav.notifications', 'nav.review', 'nav.people', 'nav.audit']) {
    assert((await nav(staff, T(key)).count()) === 1, `the administrator's navigation has ${T(key)}`);
  }
  // The staff account's name is a name.
  const staffAccount = await staff.evaluate(() => fetch('/api/v1/session').then((r) => r.json()).then((s) => s.account?.name || ''));
  await until(async () => (await staff.locator('.loading').count()) === 0, { what: 'the overview to finish loading' });
  await shot(staff, '30a', 'admin-overview');
  await noEnglish(lang, staff, "the administrator's overview", [...allow, staffAccount]);
  await nav(staff, T('nav.purchase')).click();
  await heading(staff, T('purchase.title'));
  await staff.locator('li[data-product="dv-single"] button').waitFor();
  await nav(staff, T('nav.certificates')).click();
  await heading(staff, T('certs.title'));
  await staff.locator('#certs-empty, #cert-table').first().waitFor();
  await shot(staff, '30a2', 'admin-certificates');
  await noEnglish(lang, staff, "the administrator's certificates", [...allow, staffAccount]);
  await nav(staff, T('nav.people')).click();
  await heading(staff, T('people.title'));
  await staff.getByRole('button', { name: T('people.invite'), exact: true }).click();
  const invite = staff.getByRole('dialog', { name: T('people.invite_title') });
  await invite.locator('#invite-email').fill(buyer.email);
  await invite.getByLabel(T('people.invite_account')).fill(account);
  await invite.getByRole('radio', { name: new RegExp('^' + T('role.owner')) }).check();
  await shot(staff, '30b', 'admin-invites');
  await noEnglish(lang, staff, 'the invitation dialog', [...allow, staffAccount]);
  await invite.getByRole('button', { name: T('people.invite_submit') }).click();
  await invite.locator('.invitation-result').waitFor();
  await staff.context().close();

  // 2. The buyer accepts from the emailed link.
  const mail = await waitForMail(config.mailbox, (m) => m.to.includes(buyer.email) && m.subject.includes(account), `the invitation to ${buyer.email}`);
  const page = await newPage('buyer-' + lang, undefined, locale);
  await page.goto(invitationLink(mail, config.url));
  await page.getByRole('heading', { name: T('invitation.choose') }).waitFor();
  await page.getByLabel(T('invitation.password'), { exact: true }).fill(buyer.password);
  await page.getByLabel(T('invitation.confirm')).fill(buyer.password);
  await shot(page, 31, 'invitation');
  await noEnglish(lang, page, 'the invitation page', [...allow, 'Signet']);
  await page.getByRole('button', { name: T('invitation.accept_new') }).click();
  await heading(page, T('overview.title'));
  await nav(page, T('nav.certificates')).click();
  const empty = page.locator('#certs-empty');
  await empty.getByText(T('certs.empty')).waitFor();
  await empty.getByRole('link', { name: T('certs.empty_buy') }).waitFor();
  await empty.getByRole('button', { name: T('certs.empty_upload') }).waitFor();
  await shot(page, 32, 'certificates-empty');
  await noEnglish(lang, page, 'the empty certificate list', allow);

  // 3. A DV order for www.<shop>.
  await buyDvSingle(page, T);
  assert(await page.locator('#applicant-individual').isChecked(), 'a DV order starts as an individual applicant');
  assert((await page.locator('#org-name').count()) === 0, 'and asks for no organization');
  await page.locator('#domain-0').fill('www.' + shop);
  for (const [k, v] of Object.entries({ ...details, email: 'not-an-address' })) await page.locator(`#admin-${k}`).fill(v);
  await page.getByRole('button', { name: T('wizard.submit') }).click();
  // The server's refusal is shown at the field it concerns, which gets the focus.
  const emailError = page.locator('#admin-email-error');
  await emailError.waitFor();
  assert((await emailError.getAttribute('role')) === 'alert', 'the field error is announced');
  await until(() => page.evaluate(() => document.activeElement?.id === 'admin-email'), { what: 'focus on the email field' });
  assert((await page.locator('#domain-0').inputValue()) === 'www.' + shop, 'the domain typed is kept');
  await shot(page, 33, 'wizard-field-error');
  await noEnglish(lang, page, 'the wizard with a refused field', allow);
  // Nothing typed is lost, also over a reload.
  await page.reload();
  await page.locator('#draft-restored').waitFor();
  assert((await page.locator('#domain-0').inputValue()) === 'www.' + shop, 'the domain is back after a reload');
  assert((await page.locator('#admin-name').inputValue()) === admin.name, 'the administrator is back after a reload');
  await page.locator('#admin-email').fill(admin.email);
  await page.locator('#admin-save').check();
  await page.getByRole('button', { name: T('wizard.submit') }).click();
  await page.getByRole('heading', { name: T('dcv.title') }).waitFor();
  const firstOrder = page.url();
  const card = await oneValidation(page, ['www.' + shop, shop]);
  await card.locator('[data-field="host_record"] dt').getByText(T('instr.host_record')).waitFor();
  await card.locator('[data-field="record_name"] dt').getByText(T('instr.full_name')).waitFor();
  const record = await txtRecord(card);
  await shot(page, 34, 'order-validation');
  await noEnglish(lang, page, 'the order waiting for validation', allow);
  publishTxt(config.dns, config.domain_zone, record.name, record.value);
  const verify = page.getByRole('button', { name: T('dcv.verify') });
  if (await verify.isVisible()) await verify.click({ timeout: 5000 }).catch(() => undefined);
  await issuedBanner(page, T).waitFor({ timeout: ISSUE_TIMEOUT });
  await page.locator('#timeline [data-event="issued"], #timeline [data-event="certificate.issued"]').first().waitFor();
  await shot(page, 35, 'order-issued');
  await noEnglish(lang, page, 'the issued order and its timeline', allow);

  // 4. A second order: the one saved administrator is chosen already, and can be edited.
  await buyDvSingle(page, T);
  assert((await page.locator('#admin-saved').inputValue()) !== '', 'the only saved administrator is preselected');
  assert((await page.locator('#admin-email').inputValue()) === admin.email, 'with its details');
  // The saved profile is changed from the wizard (for this and later orders).
  await page.locator('#admin-profile-edit').click();
  await page.locator('#admin-position').fill(promoted);
  await page.locator('#admin-profile-save').click();
  await page.getByRole('status').getByText(T('wizard.profile_saved')).waitFor();
  assert(await page.locator('#admin-position').isDisabled(), 'the saved profile is shown as saved again');
  await page.locator('#domain-0').fill('www.' + late);
  await shot(page, '35b', 'wizard-saved-profile');
  await noEnglish(lang, page, 'the wizard with a saved profile', allow);
  await page.getByRole('button', { name: T('wizard.submit') }).click();
  await page.getByRole('heading', { name: T('dcv.title') }).waitFor();
  const lateCard = await oneValidation(page, ['www.' + late, late]);
  const lateOrder = { url: page.url(), value: (await txtRecord(lateCard)).value };

  // The orders list, with product names and steps in the reader's language.
  await nav(page, T('nav.orders')).click();
  await page.locator('#order-table').getByRole('link', { name: 'www.' + late }).waitFor();
  await page.locator('#order-table').getByText(T('product.dv-single')).first().waitFor();
  await shot(page, 36, 'orders');
  await noEnglish(lang, page, 'the orders list', allow);

  // The Profiles page edits it too.
  await nav(page, T('nav.profiles')).click();
  const admins = page.locator('[data-profiles="administrators"]');
  await admins.getByText(promoted).waitFor();
  await admins.getByRole('button', { name: T('action.edit_what', { what: admin.name }) }).click();
  await page.locator('#new-admin-edit-phone').fill('+86 10 6666 0100');
  await shot(page, 37, 'profile-edit');
  await noEnglish(lang, page, 'the profile being edited', allow);
  await admins.getByRole('button', { name: T('action.save'), exact: true }).first().click();
  await admins.getByRole('status').getByText(T('profiles.updated', { name: admin.name })).waitFor();
  await admins.getByText('+86 10 6666 0100').waitFor();

  // 5. Reissue with the confirmation.
  await page.goto(firstOrder);
  await page.getByRole('link', { name: T('order.view_certificate') }).click();
  await page.locator('#cert-names').waitFor();
  const oldCert = new URL(page.url()).pathname.split('/').pop();
  await page.getByRole('button', { name: T('cert.reissue') }).click();
  const confirm = page.getByRole('dialog', { name: T('reissue.title') });
  await confirm.locator('#reissue-revocation').getByText(T('reissue.revoke_hours', { hours: config.supersede_hours })).waitFor();
  await confirm.locator('#reissue-key-generate').check();
  await confirm.locator('#reissue-key-algorithm').selectOption('rsa-2048');
  await shot(page, 38, 'reissue-confirmation');
  await noEnglish(lang, page, 'the reissue confirmation', allow);
  await confirm.getByRole('button', { name: T('reissue.confirm'), exact: true }).click();
  await issuedBanner(page, T).waitFor({ timeout: ISSUE_TIMEOUT });
  await page.locator('#timeline [data-event="reissue"]').waitFor();
  await page.getByRole('link', { name: T('order.view_certificate') }).click();
  await page.locator('#cert-names').waitFor();
  const newCert = new URL(page.url()).pathname.split('/').pop();
  assert(newCert !== oldCert, 'the reissue is a new certificate');

  // 6. The list: search in the URL, the server's sort, two selected and downloaded as a zip.
  await nav(page, T('nav.certificates')).click();
  const rows = page.locator('#cert-table tbody tr');
  await page.locator('#certs-q').fill('nothing-like-this');
  await page.locator('#certs-no-match').getByText(T('certs.no_match')).waitFor();
  await shot(page, 39, 'certificates-no-match');
  await page.locator('#certs-q').fill(lang + '-shop');
  await until(() => new URL(page.url()).searchParams.get('q') === lang + '-shop', { what: 'the search in the URL' });
  await until(async () => (await rows.count()) === 2, { what: 'the two certificates of www.' + shop });
  await page.reload();
  await until(async () => (await page.locator('#certs-q').inputValue()) === lang + '-shop', { what: 'the search kept over a reload' });
  await until(async () => (await rows.count()) === 2, { what: 'the search results after a reload' });
  for (const [click, sort, order] of [
    [true, 'not_after', 'ascending'],
    [true, '-not_after', 'descending'],
  ]) {
    if (click) await page.locator('#sort-expiry').click();
    await until(() => new URL(page.url()).searchParams.get('sort') === sort, { what: `sort=${sort} in the URL` });
    await until(async () => (await page.locator('#cert-table th[aria-sort]').getAttribute('aria-sort')) === order, { what: 'the column marked ' + order });
    await until(async () => {
      const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
      // The reissued certificate expires later than the first one.
      return sort === 'not_after' ? ids[0] === oldCert && ids[1] === newCert : ids[0] === newCert && ids[1] === oldCert;
    }, { what: `the server's order for sort=${sort}` });
  }
  for (let i = 0; i < 2; i++) await rows.nth(i).locator('input[type="checkbox"]').check();
  await page.locator('#selection-count').getByText(T('bulk.selected', { n: 2 })).waitFor();
  await shot(page, 40, 'certificates-selected');
  await noEnglish(lang, page, 'the certificate list with a selection', allow);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: T('bulk.download') }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'console-bulk-')), download.suggestedFilename());
  await download.saveAs(file);
  const listing = execFileSync('unzip', ['-Z1', file]).toString().trim().split('\n');
  assert(listing.length === 4 && listing.every((n) => n.endsWith('.pem')), 'the zip has a certificate and a chain for each:\n' + listing.join('\n'));
  for (const id of [oldCert, newCert]) {
    const serial = await page.locator(`#cert-table tr[data-id="${id}"]`).getAttribute('data-serial');
    assert(listing.some((n) => n.includes('_' + serial.slice(0, 8) + '/')), `the zip has the certificate ${serial}`);
  }
  const pem = execFileSync('unzip', ['-p', file, listing[0]]).toString();
  assert(pem.includes('-----BEGIN CERTIFICATE-----'), 'the zip holds PEM certificates');
  // The selection as CSV, made in the browser: a header in the reader's language, a row each.
  const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: T('bulk.export_selection') }).click()]);
  const csv = fs.readFileSync(await sheet.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  assert(csv.length === 3 && csv[0].startsWith(T('certs.names') + ','), 'a header and two rows:\n' + csv.join('\n'));
  for (const id of [oldCert, newCert]) assert(csv.some((line) => line.endsWith(',' + id)), `the CSV has ${id}`);

  // Deployment (test/console/deploy.mjs): the reissued certificate (its key generated online, so
  // Signet holds it) to the OpenSSH server and nginx site test_console.py started.
  if (config.deployment) await deploymentJourney(env, lang, page, { id: newCert, name: 'www.' + shop }, allow);
  // Monitoring (test/console/monitor.mjs): the same certificate installed by hand on an nginx site
  // and watched, first with its chain (ok), then without (critical); a self-signed site; the
  // monitor's timeline; the overview's numbers.
  if (config.monitoring) await monitoringJourney(env, lang, page, { id: newCert, name: 'www.' + shop }, allow);
  // Notification channels (test/console/channels.mjs): a DingTalk robot with its signing secret,
  // tested; monitor alerts as a daily digest.
  if (config.robots) await channelsJourney(env, lang, page, allow);

  // 7. and 8. The buyer's password, forgotten and set again; their sessions.
  buyer.password = await forgottenPassword(env, lang, buyer, page, allow);
  await sessions(env, lang, buyer, allow);
  return { lang, buyer, late, lateOrder };
}

/** Signs in on the page's sign-in form (already shown) and waits for the page it leads to (the
 * overview, or where the person was going). */
async function signInHere(page, T, who, landing = T('overview.title')) {
  await page.getByLabel(T('signin.email')).fill(who.email);
  await page.getByLabel(T('signin.password')).fill(who.password);
  await page.getByRole('button', { name: T('signin.submit') }).click();
  await heading(page, landing);
}

/** 7. A forgotten password, asked for from the sign-in page and set from the emailed link. Every
 * session of the person ends: `open` (the buyer's browser until now) is signed out on its next
 * request. Returns the new password. */
async function forgottenPassword(env, lang, buyer, open, allow) {
  const { config, newPage } = env;
  const T = strings(lang);
  const shot = (page, n, name) => screenshot(page, env.shots, `${n}-${lang}-${name}`);
  const page = await newPage('buyer-reset-' + lang, undefined, localeOf(lang));
  await page.goto(config.url + '/');
  await page.getByRole('heading', { name: T('signin.title') }).waitFor();
  await page.getByLabel(T('signin.email')).fill(buyer.email);
  await page.getByRole('link', { name: T('forgot.link') }).click();
  await heading(page, T('forgot.title'));
  assert((await page.getByLabel(T('signin.email')).inputValue()) === buyer.email, 'the address typed on the sign-in page is kept');
  await shot(page, 44, 'forgot-password');
  await noEnglish(lang, page, 'the forgotten-password form', allow);
  const before = mails(config.mailbox).length;
  await page.getByRole('button', { name: T('forgot.submit') }).click();
  // The answer never says whether the address belongs to anyone.
  await page.locator('#forgot-sent').getByText(T('forgot.sent')).waitFor();
  await shot(page, '44b', 'forgot-password-sent');
  await noEnglish(lang, page, 'the forgotten-password answer', allow);
  // An address nobody has gets the very same answer.
  await page.goto(config.url + '/forgot-password');
  await page.getByLabel(T('signin.email')).fill(`nobody-${lang}@example.com`);
  await page.getByRole('button', { name: T('forgot.submit') }).click();
  await page.locator('#forgot-sent').getByText(T('forgot.sent')).waitFor();

  const mail = await waitForMail(
    config.mailbox,
    (m, i) => i >= before && m.to.includes(buyer.email) && m.text.includes('/reset-password#'),
    `the password reset email to ${buyer.email}`,
  );
  const link = resetLink(mail, config.url);
  await page.goto(link);
  await heading(page, T('reset.title'));
  assert(!page.url().includes('#'), 'the token is removed from the address bar: ' + page.url());
  await page.locator('.reset-for').getByText(buyer.email).waitFor();
  const password = `buyer-${lang}-new-password-2`;
  const field = page.getByLabel(T('reset.password'), { exact: true });
  const confirm = page.getByLabel(T('reset.confirm'), { exact: true });
  const submit = page.getByRole('button', { name: T('reset.submit') });
  // Checked while typing: the length, then that both agree.
  await field.fill('too short');
  await page.locator('#reset-password-error').getByText(T('invitation.too_short')).waitFor();
  await field.fill(password);
  await confirm.fill(password + '!');
  await page.locator('#reset-confirm-error').getByText(T('invitation.mismatch')).waitFor();
  assert(await submit.isDisabled(), 'setting waits for matching passwords');
  await confirm.fill(password);
  await shot(page, 45, 'reset-password');
  await noEnglish(lang, page, 'the new-password form', allow);
  await submit.click();
  await page.locator('#reset-done').getByRole('heading', { name: T('reset.done_title') }).waitFor();
  await shot(page, '45b', 'reset-password-done');
  await noEnglish(lang, page, 'the password set', allow);

  // Every session ended: the browser the buyer worked in is signed out on its next request.
  await nav(open, T('nav.orders')).click();
  await open.getByRole('heading', { name: T('signin.title') }).waitFor();
  await open.context().close();

  // Signing in, with the address filled in: the old password no longer works, the new one does.
  await page.locator('#reset-sign-in').click();
  await page.getByRole('heading', { name: T('signin.title') }).waitFor();
  await page.locator('#signin-password-changed').getByText(T('signin.password_changed')).waitFor();
  assert((await page.getByLabel(T('signin.email')).inputValue()) === buyer.email, 'the sign-in page has the address filled in');
  await page.getByLabel(T('signin.password')).fill(buyer.password);
  await page.getByRole('button', { name: T('signin.submit') }).click();
  await page.getByRole('alert').getByText(T('problem.invalid_credentials')).waitFor();
  await signInHere(page, T, { email: buyer.email, password });
  // Signed out again, so that the buyer's sessions below are the two browsers there.
  await page.getByRole('button', { name: T('nav.sign_out') }).click();
  await page.getByRole('heading', { name: T('signin.title') }).waitFor();

  // The link works once; the page offers to ask for a new one.
  await page.goto(link);
  await page.locator('#reset-invalid').getByRole('heading', { name: T('reset.invalid_title') }).waitFor();
  await shot(page, '45c', 'reset-link-used');
  await noEnglish(lang, page, 'the used reset link', allow);
  await page.locator('#reset-request-new').click();
  await heading(page, T('forgot.title'));
  await page.context().close();
  return password;
}

/** 8. The buyer's sessions: a second browser signs in; the first lists both and signs the other
 * out, which is then signed out on its next request; the same with "everywhere else". */
async function sessions(env, lang, buyer, allow) {
  const { config, newPage } = env;
  const T = strings(lang);
  const shot = (page, n, name) => screenshot(page, env.shots, `${n}-${lang}-${name}`);
  const signedIn = async (name) => {
    const p = await newPage(name, undefined, localeOf(lang));
    await p.goto(config.url + '/');
    await p.getByRole('heading', { name: T('signin.title') }).waitFor();
    await signInHere(p, T, buyer);
    return p;
  };
  const page = await signedIn('buyer-sessions-' + lang);
  const other = await signedIn('buyer-elsewhere-' + lang);
  // From the header: the person's email opens their sign-in and sessions.
  await page.locator('header a.who').click();
  await heading(page, T('security.title'));
  const rows = page.locator('#sessions-table tbody tr');
  // The password reset ended every earlier session and the browser that set it signed out: these
  // two are left.
  await until(async () => (await rows.count()) === 2, { what: 'two sessions listed' });
  const current = page.locator('#sessions-table tbody tr[data-current="true"]');
  assert((await current.count()) === 1, 'one session is this browser');
  await current.getByText(T('sessions.current')).waitFor();
  // A readable browser and system, from the user agent (headless Chromium on Linux here).
  const agent = (await current.locator('th.agent > span').first().textContent()).trim();
  assert(agent === T('sessions.browser_on', { browser: agent.match(/Chrome \d+/)?.[0] || '?', os: 'Linux' }), 'the browser and system: ' + agent);
  const products = ['Chrome', 'Linux'];
  await shot(page, 46, 'sessions');
  await noEnglish(lang, page, 'the sessions', [...allow, ...products]);
  await page.locator('#sessions-table tbody tr:not([data-current])').first().locator('button').click();
  await page.locator('#sessions-notice').waitFor();
  await until(async () => (await rows.count()) === 1, { what: 'the other session gone from the list' });
  await page.locator('#sessions-only-this').getByText(T('sessions.only_this')).waitFor();
  await shot(page, '46b', 'sessions-signed-out');
  await noEnglish(lang, page, 'the sessions after signing one out', [...allow, ...products]);
  // The other browser finds out on its next request.
  await nav(other, T('nav.orders')).click();
  await other.getByRole('heading', { name: T('signin.title') }).waitFor();

  // Everywhere else: the other browser signs in again (back at the orders it was going to) and is
  // signed out with it.
  await signInHere(other, T, buyer, T('orders.title'));
  await page.reload();
  await until(async () => (await rows.count()) === 2, { what: 'the other session listed again' });
  await page.locator('#sessions-sign-out-others').click();
  await page.locator('#sessions-notice').getByText(T('sessions.signed_out_others')).waitFor();
  await until(async () => (await rows.count()) === 1, { what: 'only this session left' });
  // (It shows the orders already: its next request is a reload.)
  await other.reload();
  await other.getByRole('heading', { name: T('signin.title') }).waitFor();
  await other.context().close();
  await page.context().close();
}

/** The order page's banner saying the certificate is issued (the timeline may say it too). */
function issuedBanner(page, T) {
  return page.locator('div.success[role="status"]').getByText(T('order.issued_banner'));
}

async function buyDvSingle(page, T) {
  await nav(page, T('nav.purchase')).click();
  await heading(page, T('purchase.title'));
  await page.locator('li[data-product="dv-single"] button').click();
  await heading(page, T('wizard.title'));
}

/** The order's one validation card, which must say it proves each of `names`. */
export async function oneValidation(page, names) {
  const cards = page.locator('article.validation');
  await cards.first().waitFor();
  assert((await cards.count()) === 1, `one validation for ${names.join(' and ')}, not ${await cards.count()}`);
  const card = cards.first();
  const covers = (await card.locator('.covers code').allTextContents()).map((x) => x.trim());
  for (const n of names) assert(covers.includes(n), `the validation says it proves ${n}: ${covers.join(', ')}`);
  return card;
}

/** The TXT record a validation card asks for, named as a DNS console wants it: the host record
 * within the registered domain (the page shows the full name too; both must agree). */
export async function txtRecord(card) {
  const host = (await card.locator('[data-field="host_record"] code').textContent()).trim();
  const registered = await card.getAttribute('data-registered-domain');
  const full = (await card.locator('[data-field="record_name"] code').textContent()).trim();
  const value = (await card.locator('[data-field="value"] code').textContent()).trim();
  assert(host.startsWith('_dnsauth') && registered, `a host record (${host}) and its domain (${registered})`);
  const name = host + '.' + registered;
  assert(name === full, `host record + domain (${name}) is the full name shown (${full})`);
  return { name, value, host };
}

/** After the clock moved past the value's 30 days: the validation expired, the order says to
 * start it again, and starting it again lets it issue. */
export async function expiredValidation(env, state) {
  const { config, shots, newPage } = env;
  const { lang, buyer, late, lateOrder } = state;
  const T = strings(lang);
  const shot = (page, n, name) => screenshot(page, shots, `${n}-${lang}-${name}`);
  const allow = [...config.buyer_accounts[lang].split('-'), config.buyer_accounts[lang]];
  const page = await newPage('buyer-later-' + lang, undefined, localeOf(lang));
  await page.goto(lateOrder.url);
  await page.getByLabel(T('signin.email')).fill(buyer.email);
  await page.getByLabel(T('signin.password')).fill(buyer.password);
  await page.getByRole('button', { name: T('signin.submit') }).click();
  await page.getByRole('heading', { name: T('dcv.title') }).waitFor();
  const card = page.locator('article.validation').first();
  // Checking now finds the value expired (the background checks may find it first).
  await until(async () => {
    if ((await card.getAttribute('data-status')) === 'expired') return true;
    const verify = page.getByRole('button', { name: T('dcv.verify') });
    if (await verify.isVisible()) await verify.click({ timeout: 2000 }).catch(() => undefined);
    return false;
  }, { timeout: 60_000, interval: 1000, what: 'the validation to show as expired' });
  const restart = card.getByRole('button', { name: T('dcv.restart') });
  await restart.waitFor({ timeout: 30_000 });
  // The order says what the applicant must do, and that it is not issuing.
  await page.locator('.badge[data-status="DCV-RESTART"]').getByText(T('sub.DCV-RESTART')).waitFor();
  await page.locator('.progress [data-step="dcv"]').getByText(T('progress.dcv_restart')).waitFor();
  assert(!(await page.locator('main').getByText(T('sub.WAIT-ISSUE'), { exact: true }).count()), 'not "issuing" while validation has stopped');
  await shot(page, 41, 'validation-expired');
  // The overview lists the order as waiting for the buyer, saying what to do.
  await nav(page, T('nav.overview')).click();
  await page.locator('#action-list .badge[data-status="DCV-RESTART"]').waitFor();
  await shot(page, '41b', 'overview-validation-expired');
  await noEnglish(lang, page, 'the overview with an expired validation', allow);
  await page.goto(lateOrder.url);
  await noEnglish(lang, page, 'the order with an expired validation', allow);
  await restart.click();
  const fresh = page.locator('article.validation').first();
  await until(async () => (await fresh.getAttribute('data-status')) === 'pending', { what: 'a fresh validation' });
  const card2 = await oneValidation(page, ['www.' + late, late]);
  const record = await txtRecord(card2);
  assert(record.value !== lateOrder.value, 'starting again gives a new value');
  await page.locator('.progress [data-step="dcv"]').getByText(T('progress.current')).waitFor();
  await shot(page, 42, 'validation-restarted');
  await noEnglish(lang, page, 'the order after starting the validation again', allow);
  publishTxt(config.dns, config.domain_zone, record.name, record.value);
  const verify = page.getByRole('button', { name: T('dcv.verify') });
  if (await verify.isVisible()) await verify.click({ timeout: 5000 }).catch(() => undefined);
  await issuedBanner(page, T).waitFor({ timeout: ISSUE_TIMEOUT });
  await page.locator('#timeline [data-event="dcv.restarted"]').waitFor();
  await shot(page, 43, 'validation-restarted-issued');
  await noEnglish(lang, page, 'the order issued after the restart', allow);
  await page.context().close();
}

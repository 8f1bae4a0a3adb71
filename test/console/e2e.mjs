// The console's journeys in headless Chromium against a real signetd (started, with Knot DNS
// and the users, by test/integration/test_console.py, which passes a JSON config):
//  1. an applicant signs in, buys a DV certificate, completes the information with an online
//     key, publishes the TXT records the page shows, clicks Verify, sees the order issued and
//     downloads the nginx bundle;
//  2. an OV order is rejected by a reviewer in a second browser context and the applicant sees
//     the reason; while it waits for review, the initial administrator (who runs the whole
//     service) lands on the overview of their own account, which says "1 order awaits review";
//  3. a certificate whose key is encrypted is uploaded with the key's password;
//  4. switching to 中文 changes the visible text; the phone-width layout does not overflow;
//     the other pages load;
//  5. people: the applicant (an owner) invites a colleague from the People page; invites another
//     address and withdraws it (the row reads "Invitation withdrawn"), then invites it again (a
//     second email; the row is invited again); the colleague opens the emailed link in a fresh
//     browser, chooses a password and lands in the account, then accepts a second account's
//     invitation with that password and switches between the two accounts from the header; the
//     owner disables them (the colleague's next request lands on the sign-in page, which says
//     that an owner disabled their access) and enables them again, and sees the page in 中文.
//  6. buyers (test/console/buyers.mjs), once in English and once in 中文: the initial
//     administrator signs in with the first start's credentials, lands on the overview with every
//     applicant's page, and invites each into an account of their own; the buyer accepts, orders
//     DV for www.<name> (one validation of <name> proves both; the TXT record goes under the host
//     record of the registered domain), sees a refused field shown at the field with nothing
//     lost, reissues through the confirmation, searches, sorts and bulk-downloads the list; forgets
//     their password and sets a new one from the emailed link (every session ends), signs in with
//     it, and signs a second browser out from the list of sessions; after the server's clock
//     moves 31 days on, an expired validation is started again and its order issues; and each
//     deploys its reissued certificate over SSH to a real OpenSSH server and nginx
//     (test/console/deploy.mjs; test_console.py then checks the serial nginx serves), then
//     watches nginx sites with monitors (test/console/monitor.mjs): checked now, ok and then
//     critical with the problem explained, the monitor's timeline, and the overview's numbers
//     checked against the API's.
//  7. brands (test/console/upstreams.mjs): the initial administrator sees pebble, a brand's
//     upstream CA, reachable on the Upstream CAs page, the brand labelled "Public CA (upstream)" on
//     the purchase page, buys it and sees it issued by pebble; in English and in 中文.
//     Screenshots of each go to config.screenshots.
// No browser console errors are allowed anywhere (see ErrorCollector).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { assert, ErrorCollector, invitationLink, launch, mails, moveClock, publishTxt, screenshot, until, waitForMail } from './lib.mjs';
import { buyerJourney, expiredValidation, oneValidation, txtRecord } from './buyers.mjs';
import { upstreamJourney } from './upstreams.mjs';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const shots = config.screenshots;
const ISSUE_TIMEOUT = 120_000;
const REJECT_REASON = 'The confirmation letter is not stamped; upload a stamped letter.';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (Confirmation letter of Example Trading Co., Ltd.) >>\nendobj\ntrailer << /Info 1 0 R >>\n%%EOF\n');

const collector = new ErrorCollector([
  // Before signing in, "who am I" is answered 401: that is how the console knows to show sign-in.
  { method: 'GET', path: '/api/v1/session', status: 401 },
  // Refusals the test provokes on purpose, to see the console show the problem document.
  { method: 'POST', path: '/api/v1/session', status: 401 },
  { method: 'POST', path: '/api/v1/certificates', status: 400 },
  { method: 'POST', path: '/api/v1/orders/', suffix: '/review', status: 400 },
  // The wizard submitted with a malformed email: the refusal is shown at the field.
  { method: 'PUT', path: '/api/v1/orders/', suffix: '/application', status: 400 },
  // People: the last owner cannot step down, an address is invited twice, a used invitation
  // link, a wrong password when accepting with an existing one.
  { method: 'PATCH', path: '/api/v1/users/', status: 409 },
  { method: 'POST', path: '/api/v1/users', status: 409 },
  { method: 'POST', path: '/api/v1/invitation', status: 404 },
  { method: 'POST', path: '/api/v1/invitation/accept', status: 401 },
  // The colleague's next request after the owner disabled them: 401 membership_disabled; and a
  // buyer's browser after their password was set again or their session was signed out from
  // another browser.
  { method: 'GET', path: '/api/v1/orders', status: 401 },
  // A password reset link opened again after it was used.
  { method: 'POST', path: '/api/v1/password-reset/check', status: 404 },
  // Deleting a deployment target that a certificate is still deployed to (test/console/deploy.mjs).
  { method: 'DELETE', path: '/api/v1/deployment-targets/', status: 409 },
  // Endpoints this signetd does not have yet (from its openapi.json): the page shows the error.
  ...(config.missing_endpoints || []).map((p) => ({ method: 'GET', path: p, status: 404 })),
]);

async function newPage(browser, name, viewport = { width: 1280, height: 900 }, locale = 'en-US') {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport, locale, acceptDownloads: true });
  return collector.attach(await context.newPage(), name);
}

async function signIn(page, who) {
  await page.goto(config.url + '/');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A link of the main navigation (the page body may link to the same place). */
const nav = (page, name) => page.getByRole('navigation', { name: /Main|主导航/ }).getByRole('link', { name, exact: true });

async function heading(page, text) {
  await page.getByRole('heading', { level: 1, name: text }).first().waitFor();
}

async function fillPerson(page, prefix, p) {
  for (const [k, v] of Object.entries(p)) await page.locator(`#${prefix}-${k}`).fill(v);
}

const ADMIN = { name: 'Li Lei', position: 'IT manager', phone: '+86 10 1234 5678', email: 'lilei@example.com' };

async function dvJourney(browser) {
  const page = await newPage(browser, 'applicant');
  await page.goto(config.url + '/');
  await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor();
  await screenshot(page, shots, '01-sign-in');
  // A wrong password shows the problem document's message, not a blank failure.
  await page.getByLabel('Email').fill(config.applicant.email);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
  await signIn(page, config.applicant);
  await heading(page, 'Overview');
  await page.getByText('No order needs your action.').waitFor();

  await nav(page, 'Buy a certificate').click();
  await heading(page, 'Buy a certificate');
  await screenshot(page, shots, '02-purchase');
  await page.getByRole('button', { name: 'Buy DV SSL, single domain' }).click();
  await heading(page, 'Complete the information');

  // Live name rules: an invalid wildcard is flagged while typing, before any request.
  const cn = page.getByLabel('Common name (first domain)');
  await cn.fill('*.*.bad.insecure.test');
  await page.getByText('A wildcard must be one "*"').waitFor();
  assert(await page.getByRole('button', { name: 'Submit' }).isDisabled(), 'submit is disabled while a name is invalid');
  await cn.fill('WWW.Console.Insecure.Test');
  await page.getByText('Will be saved as www.console.insecure.test').waitFor();
  await page.getByLabel('Generate the key online').check();
  await page.getByLabel('Algorithm').selectOption('ecdsa-p256');
  await page.getByLabel('An individual').check();
  await fillPerson(page, 'admin', ADMIN);
  await page.locator('#admin-save').check(); // saved for the OV order below
  await page.getByLabel('How will you prove control of the domains?').selectOption('dns_txt');
  await screenshot(page, shots, '03-application-wizard');
  await page.getByRole('button', { name: 'Submit' }).click();

  await page.getByRole('heading', { name: 'Domain validation' }).waitFor();
  // www.console.insecure.test also covers console.insecure.test: one validation, of the bare
  // name, proves both.
  const card = await oneValidation(page, ['www.console.insecure.test', 'console.insecure.test']);
  await screenshot(page, shots, '04-order-validation');
  const record = await txtRecord(card);
  // A wrong value first: Verify then shows what it saw and why it does not match (a wrong value
  // cannot validate, so the click cannot race the background checks).
  publishTxt(config.dns, config.domain_zone, record.name, 'not-the-value');
  const verify = page.getByRole('button', { name: 'Verify now' });
  await verify.click();
  await until(async () => (await card.locator('.seen code').textContent()).includes('not-the-value'),
    { what: 'the wrong value under "What we saw"' });
  await card.locator('.dcv-error').getByText('A different value was found.').waitFor();
  await screenshot(page, shots, '04b-order-verify');
  publishTxt(config.dns, config.domain_zone, record.name, record.value);
  // The background check (retrying with backoff) may validate first and the order issue,
  // removing the button: then there is nothing left to click.
  if (await verify.isVisible()) await verify.click({ timeout: 5000 }).catch(() => undefined);
  await page.getByText('The certificate is issued.').waitFor({ timeout: ISSUE_TIMEOUT });
  await page.locator('h1 [data-status="issued"]').waitFor();
  await screenshot(page, shots, '05-order-issued');

  await page.getByRole('link', { name: 'View and download it' }).click();
  await page.locator('#cert-names').getByText('www.console.insecure.test').waitFor();
  await page.locator('#cert-names').getByText('console.insecure.test', { exact: true }).waitFor();
  await screenshot(page, shots, '06-certificate');
  await page.getByRole('button', { name: 'Download' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Download' });
  await until(() => dialog.getByLabel('Server type').evaluate((e) => e === document.activeElement), { what: 'focus to move into the dialog' });
  await dialog.getByLabel('Server type').selectOption('nginx');
  await screenshot(page, shots, '07-download-dialog');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'console-e2e-')), download.suggestedFilename());
  await download.saveAs(file);
  const listing = execFileSync('unzip', ['-l', file]).toString();
  assert(/\.crt\b/.test(listing) && /\.key\b/.test(listing), 'the nginx bundle has a .crt and a .key:\n' + listing);
  await page.keyboard.press('Escape');
  await until(async () => (await page.getByRole('dialog').count()) === 0, { what: 'Escape to close the dialog' });

  await nav(page, 'Certificates').click();
  await page.locator('#cert-table').getByText('www.console.insecure.test').waitFor();
  await screenshot(page, shots, '08-certificates');
  return page;
}

async function ovJourney(browser, applicant) {
  const page = applicant;
  await nav(page, 'Buy a certificate').click();
  await page.getByRole('button', { name: 'Buy OV SSL, single domain' }).click();
  await heading(page, 'Complete the information');
  await page.getByLabel('Common name (first domain)').fill('ov.insecure.test');
  await fillPerson(page, 'org', { name: 'Example Trading Co., Ltd.', country: 'CN', province: 'Beijing', city: 'Beijing', address: '1 Example Road', phone: '+86 10 8765 4321' });
  // The administrator saved with the DV order is reused by picking the profile.
  await page.locator('#admin-saved').selectOption({ label: ADMIN.name });
  assert((await page.locator('#admin-email').inputValue()) === ADMIN.email, 'the saved administrator fills the form');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
  const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the confirmation-letter template' }).click()]);
  const letter = fs.readFileSync(await template.path(), 'utf8');
  assert(letter.includes('Example Trading Co., Ltd.'), 'the template names the organization');
  await page.getByLabel('Document', { exact: true }).selectOption('confirmation_letter');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#attachment-list').getByText('Confirmation letter').waitFor();
  const orderUrl = page.url();

  // The reviewer, in another browser context (another session).
  const reviewer = await newPage(browser, 'reviewer');
  await signIn(reviewer, config.reviewer);
  await heading(reviewer, 'Review workbench');
  await until(async () => {
    await reviewer.getByRole('button', { name: 'Refresh' }).click();
    return (await reviewer.locator('#review-queue').getByText('ov.insecure.test').count()) > 0;
  }, { timeout: 60_000, interval: 1000, what: 'the OV order in the review queue' });
  await screenshot(reviewer, shots, '09-review-queue');
  await adminSeesReview(browser);
  await reviewer.locator('#review-queue').getByRole('link', { name: 'ov.insecure.test' }).click();
  await reviewer.getByText('Example Trading Co., Ltd.').first().waitFor();
  await reviewer.locator('#review-documents').getByRole('button', { name: 'Confirmation letter' }).waitFor();
  await reviewer.getByLabel('Confirmed by phone').check();
  // Rejecting without a reason is refused, with the server's explanation.
  await reviewer.getByRole('button', { name: 'Reject' }).click();
  await reviewer.locator('.error[data-code="missing_field"]').waitFor();
  await reviewer.getByLabel('Reason (shown to the applicant)').fill(REJECT_REASON);
  await screenshot(reviewer, shots, '10-review-decision');
  await reviewer.getByRole('button', { name: 'Reject' }).click();
  await heading(reviewer, 'Review workbench');

  // The applicant's page refreshes itself while processing; the reason appears.
  await page.goto(orderUrl);
  await page.locator('#review-reason').getByText(REJECT_REASON).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Resubmit' }).waitFor();
  await screenshot(page, shots, '11-review-failed');
  await reviewer.context().close();
  return page;
}

/** The initial administrator runs the whole service: they land on the overview of their own
 * account, which says that an order awaits review and links to the workbench. */
async function adminSeesReview(browser) {
  const admin = await newPage(browser, 'admin');
  await signIn(admin, config.initial_admin);
  await heading(admin, 'Overview');
  await nav(admin, 'Buy a certificate').waitFor();
  await nav(admin, 'Certificates').waitFor();
  await admin.locator('#review-waiting').getByRole('link', { name: '1 order awaits review' }).waitFor();
  await screenshot(admin, shots, '09a-admin-overview-review');
  await admin.locator('#review-waiting a').click();
  await heading(admin, 'Review workbench');
  await admin.locator('#review-queue').getByRole('link', { name: 'ov.insecure.test' }).waitFor();
  await admin.context().close();
}

async function chinese(page) {
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.locator('#review-reason').getByText('审核未通过').waitFor();
  await nav(page, '证书').waitFor();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'zh-CN', 'html lang follows the language');
  assert(!(await page.getByText('Review failed').count()), 'no English status left');
  await screenshot(page, shots, '12-order-zh');
  await page.reload();
  await nav(page, '证书').waitFor(); // the choice is kept
  await nav(page, '概览').click();
  await page.getByRole('heading', { name: '概览' }).waitFor();
  await screenshot(page, shots, '13-overview-zh');
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

async function otherPages(page) {
  for (const [link, title, shot] of [
    ['Orders', 'Orders', '14-orders'],
    ['Profiles', 'Profiles', '15-profiles'],
    ['API & ACME keys', 'API and ACME keys', '16-keys'],
    ['Notifications', 'Notification channels', '17-notifications'],
    ['Deployment targets', 'Deployment targets', '17b-deployment-targets'],
    ['Monitors', 'Monitors', '17c-monitors'],
    ['Audit log', 'Audit log', '18-audit'],
  ]) {
    await nav(page, link).click();
    await heading(page, title);
    await until(async () => (await page.locator('.loading').count()) === 0, { what: title + ' to finish loading' });
    await screenshot(page, shots, shot);
  }
  // Keyboard: a navigation link followed with Enter moves focus to the new page's content.
  await nav(page, 'Orders').focus();
  await page.keyboard.press('Enter');
  await heading(page, 'Orders');
  await until(() => page.evaluate(() => document.activeElement?.id === 'main'), { what: 'focus on the content after navigating' });
  // Keys: an API key is created and shown once.
  await nav(page, 'API & ACME keys').click();
  await page.locator('#api-name').fill('deploy script');
  await page.locator('#api-keys').getByRole('button', { name: 'Create' }).click();
  await page.locator('#api-keys [data-field="key"]').waitFor();
  await page.locator('#api-keys').getByText('deploy script').waitFor();
  const missing = config.missing_endpoints || [];
  if (missing.includes('/api/v1/eab-keys')) {
    await page.locator('#eab-keys .error[data-code="not_found"]').waitFor();
  } else {
    await page.locator('#eab-name').fill('certbot on web-1');
    await page.locator('#eab-keys').getByRole('button', { name: 'Create' }).click();
    await page.locator('#eab-keys [data-field="hmac_key"]').waitFor();
    await page.locator('#eab-keys').getByText('certbot on web-1').waitFor();
  }
  await nav(page, 'Notifications').click();
  if (missing.includes('/api/v1/notification-channels')) {
    await page.locator('.error[data-code="not_found"]').waitFor();
  } else {
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByLabel('Webhook URL').fill('https://hooks.example.com/signet');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.locator('#channel-list').getByText('https://hooks.example.com/signet').waitFor();
  }
}

async function afterIssuance(page) {
  // Reissue (a new order for the same names, validation reused, so it issues on its own), then
  // revoke the old certificate as superseded.
  await nav(page, 'Certificates').click();
  await page.locator('#cert-table').getByRole('link', { name: /www\.console\.insecure\.test/ }).first().click();
  await page.locator('#cert-names').waitFor();
  const oldCert = page.url();
  await page.getByRole('button', { name: 'Reissue' }).click();
  // A confirmation first, saying when the old certificate is revoked (the server's setting).
  const confirm = page.getByRole('dialog', { name: 'Reissue the certificate' });
  await confirm.getByText(`revoked ${config.supersede_hours} hours after the new one is issued`).waitFor();
  await confirm.getByRole('button', { name: 'Reissue', exact: true }).click();
  await page.getByText('The certificate is issued.').waitFor({ timeout: ISSUE_TIMEOUT });
  await page.goto(oldCert);
  await page.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke' });
  await dialog.getByLabel('Reason').selectOption('superseded');
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await page.locator('h1 [data-status="revoked"]').waitFor();
  await page.getByText('Superseded').waitFor();
  await nav(page, 'Certificates').click();
  await page.getByLabel('Status').selectOption('revoked');
  await until(async () => (await page.locator('#cert-table tbody tr').count()) === 1, { what: 'one revoked certificate listed' });
  // The account's reminder schedule round-trips through the API.
  await page.getByLabel('Days before expiry').fill('20, 5');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Saved.').waitFor();
  await page.reload();
  await until(async () => (await page.getByLabel('Days before expiry').inputValue()).replace(/\s/g, '') === '20,5', { what: 'the saved reminder days after a reload' });
}

async function uploadEncryptedKey(page) {
  // Hosting a certificate whose key is encrypted: the password field appears for such a key,
  // a wrong password is refused with the server's reason, the right one uploads it.
  const u = config.upload;
  await nav(page, 'Certificates').click();
  await page.getByRole('button', { name: 'Upload a certificate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Upload a certificate' });
  await dialog.getByLabel('Certificate (PEM)').fill(u.certificate);
  await dialog.getByLabel('Chain (PEM, optional)').fill(u.chain);
  await dialog.getByLabel('Private key (PEM, optional)').fill(u.encrypted_key);
  await dialog.getByLabel('Private key password (the key is encrypted)').fill('not the password');
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await dialog.locator('.error[data-code="wrong_key_password"]').waitFor();
  await screenshot(page, shots, '08b-upload-encrypted-key');
  await dialog.getByLabel('Private key password (the key is encrypted)').fill(u.password);
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#cert-names').getByText('upload.hardening.test').waitFor();
}

const colleague = config.colleague;
const row = (page, email) => page.locator(`#people-table tr[data-email="${email}"]`);
const badge = (locator, status) => locator.locator(`.badge[data-status="${status}"]`);
const accountButton = (page) => page.locator('header .account-button');

/** The newest invitation email to `email` for `account`, as a link on the server under test. */
async function invitationFor(email, account, { after = 0 } = {}) {
  const mail = await waitForMail(
    config.mailbox,
    (m, i) => i >= after && m.to.includes(email) && m.subject.includes(account),
    `the invitation email to ${email} for ${account}`,
  );
  return invitationLink(mail, config.url);
}

/** Opens an invitation link in a browser of its own (a reader of 中文 here), for a look only. */
async function lookAtInvitation(browser, link, variantHeading, shot) {
  const page = await newPage(browser, 'invitation-zh', undefined, 'zh-CN');
  await page.goto(link);
  await page.getByRole('heading', { name: variantHeading }).waitFor();
  await screenshot(page, shots, shot);
  await page.context().close();
}

async function invite(page) {
  await nav(page, 'People').click();
  await heading(page, 'People');
  const me = row(page, config.applicant.email);
  await me.getByText('you', { exact: true }).waitFor();
  await badge(me, 'active').waitFor();

  // The only owner cannot make themselves a member: the dialog says why.
  await me.getByRole('button', { name: `Change role of ${config.applicant.email}` }).click();
  const roleDialog = page.getByRole('dialog', { name: `Role of ${config.applicant.email}` });
  await roleDialog.getByRole('radio', { name: /^Member/ }).check();
  await roleDialog.locator('#role-self-warning').waitFor();
  await roleDialog.getByRole('button', { name: 'Save role' }).click();
  await roleDialog.locator('.error[data-code="last_owner"]').getByText('The account would have no active owner left. Make someone else an owner first.').waitFor();
  await page.keyboard.press('Escape');
  await until(async () => (await page.getByRole('dialog').count()) === 0, { what: 'the role dialog to close' });

  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a person' });
  // An address without "@" is caught before anything is sent.
  await dialog.getByLabel('Email').fill('colleague.example.com');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.getByText('Enter an email address like name@example.com.').waitFor();
  await dialog.getByLabel('Email').fill(colleague.email);
  // Owners give the roles owner and member only.
  assert((await dialog.getByRole('radio').count()) === 2, 'an owner chooses between owner and member');
  await dialog.getByRole('radio', { name: /^Member/ }).check();
  await screenshot(page, shots, '20-invite-dialog');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.getByRole('status').getByText(`Invitation sent to ${colleague.email}.`).waitFor();
  await screenshot(page, shots, '20b-invite-sent');
  // The same address again: the server's refusal, translated.
  await dialog.getByRole('button', { name: 'Invite someone else' }).click();
  await dialog.getByLabel('Email').fill(colleague.email);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.locator('.error[data-code="already_member"]').getByText('This person is already a user of this account.').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  const invited = row(page, colleague.email);
  await badge(invited, 'invited').waitFor();
  await invited.getByText('link valid until').waitFor();
  await invited.getByRole('button', { name: `Resend invitation to ${colleague.email}` }).waitFor();
  await screenshot(page, shots, '21-people');
}

/** An invitation withdrawn is not a disabled member: it is invited again, never enabled. */
async function withdrawAndInviteAgain(browser, page) {
  const contractor = 'contractor@example.com';
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a person' });
  await dialog.getByLabel('Email').fill(contractor);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.getByRole('status').getByText(`Invitation sent to ${contractor}.`).waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const first = await invitationFor(contractor, config.account);

  const person = row(page, contractor);
  await person.getByRole('button', { name: `Withdraw the invitation of ${contractor}` }).click();
  const confirm = page.getByRole('dialog', { name: `Withdraw the invitation of ${contractor}?` });
  await confirm.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await page.locator('#people-notice').getByText(`The invitation of ${contractor} is withdrawn.`).waitFor();
  await badge(person, 'withdrawn').getByText('Invitation withdrawn').waitFor();
  assert((await person.getByRole('button', { name: `Enable ${contractor}` }).count()) === 0, 'a withdrawn invitation has no Enable');
  assert((await person.getByRole('button', { name: `Resend invitation to ${contractor}` }).count()) === 0, 'nor Resend');
  await screenshot(page, shots, '21c-people-withdrawn');

  const sent = mails(config.mailbox).length;
  await person.getByRole('button', { name: `Invite ${contractor} again` }).click();
  await page.locator('#people-notice').getByText(`Invitation sent to ${contractor}.`).waitFor();
  const second = await invitationFor(contractor, config.account, { after: sent });
  await badge(person, 'invited').getByText('Invited').waitFor();
  await person.getByText('link valid until').waitFor();
  await person.getByRole('button', { name: `Withdraw the invitation of ${contractor}` }).waitFor();

  // The withdrawn link stays dead; the new one opens the invitation (looking does not use it).
  const look = await newPage(browser, 'contractor');
  await look.goto(first);
  await look.getByRole('heading', { name: 'This invitation link is no longer valid' }).waitFor();
  await look.goto(second);
  await look.getByRole('heading', { name: `Join ${config.account} on Signet` }).waitFor();
  await look.context().close();
}

async function acceptInvitations(browser) {
  const first = await invitationFor(colleague.email, config.account);
  const second = await invitationFor(colleague.email, config.other_account);
  // Looking at a link does not use it: the Chinese rendering first, in a browser of its own.
  await lookAtInvitation(browser, first, '设置密码', '22b-invitation-choose-password-zh');

  // A fresh browser: no session. The page reads the token and takes it out of the address bar.
  const page = await newPage(browser, 'colleague');
  await page.goto(first);
  await page.getByRole('heading', { name: `Join ${config.account} on Signet` }).waitFor();
  assert(!page.url().includes('#'), 'the token is removed from the address bar: ' + page.url());
  const summary = (await page.locator('.invitation-summary').textContent()).trim();
  assert(summary === `${colleague.email} is invited to ${config.account} as Member.`, 'the invitation summary: ' + summary);
  await page.getByRole('heading', { name: 'Choose a password' }).waitFor();
  // Checked while typing: the length, then that both agree.
  const accept = page.getByRole('button', { name: 'Set password and join' });
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByText('Too short: use at least 12 characters.').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(colleague.password);
  await page.getByLabel('Confirm the password').fill(colleague.password + '!');
  await page.getByText('The two passwords do not match.').waitFor();
  assert(await accept.isDisabled(), 'accepting waits for matching passwords');
  await page.getByLabel('Confirm the password').fill(colleague.password);
  await screenshot(page, shots, '22-invitation-choose-password');
  await accept.click();
  await heading(page, 'Overview');
  await page.locator('header .who').getByText(colleague.email).waitFor();
  assert((await nav(page, 'People').count()) === 0, 'members have no People page');
  assert((await accountButton(page).count()) === 0, 'one account: no switcher');
  // The link works once.
  await page.goto(first);
  await page.getByRole('heading', { name: 'This invitation link is no longer valid' }).waitFor();
  await page.getByText('Ask the owner of the account to send you a new invitation.').waitFor();
  await screenshot(page, shots, '22c-invitation-invalid');

  // The second account's invitation: this address has a password now, so it is asked for.
  await lookAtInvitation(browser, second, '用您的 Signet 密码登录以接受邀请', '23b-invitation-existing-password-zh');
  await page.goto(second);
  await page.getByRole('heading', { name: 'Sign in with your Signet password to accept' }).waitFor();
  await page.locator('.invitation-summary').getByText(config.other_account).waitFor();
  assert((await page.getByLabel('Confirm the password').count()) === 0, 'no new password for an existing one');
  await page.getByLabel('Password', { exact: true }).fill('not my password');
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await page.getByRole('alert').getByText('Wrong password.').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(colleague.password);
  await screenshot(page, shots, '23-invitation-existing-password');
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await heading(page, 'Overview');

  // Two accounts: the header names the current one and switches to the other.
  const button = accountButton(page);
  await button.getByText(config.other_account).waitFor();
  await button.click();
  const menu = page.locator('#account-menu');
  await menu.getByRole('button', { name: new RegExp(config.account) }).waitFor();
  assert((await menu.locator('[aria-current="true"]').textContent()).includes(config.other_account), 'the current account is marked');
  await screenshot(page, shots, '24-account-switcher');
  await page.keyboard.press('Escape');
  await until(async () => (await menu.count()) === 0, { what: 'Escape to close the account menu' });
  await page.getByLabel('Language').selectOption('zh-CN');
  await button.click();
  await menu.getByText('切换账户').waitFor();
  await screenshot(page, shots, '24b-account-switcher-zh');
  await page.keyboard.press('Escape');
  await page.getByLabel('语言').selectOption('en');
  await button.click();
  await menu.getByRole('button', { name: new RegExp(config.account) }).click();
  await button.getByText(config.account).waitFor();
  await heading(page, 'Overview');
  return page;
}

async function disableAndEnable(owner, member) {
  const page = owner;
  await nav(page, 'People').click();
  await page.reload();
  const person = row(page, colleague.email);
  await badge(person, 'active').waitFor();
  await person.getByRole('button', { name: `Disable ${colleague.email}` }).click();
  const confirm = page.getByRole('dialog', { name: `Disable ${colleague.email}?` });
  await confirm.getByText('Their sessions and API keys stop working in this account at once.').waitFor();
  await screenshot(page, shots, '25-disable-dialog');
  await confirm.getByRole('button', { name: 'Disable' }).click();
  await badge(person, 'disabled').getByText('Disabled').waitFor();
  await page.locator('#people-notice').getByText(`${colleague.email} is disabled.`).waitFor();
  // Disabled after accepting: Enable, not Invite again.
  await person.getByRole('button', { name: `Enable ${colleague.email}` }).waitFor();
  assert((await person.getByRole('button', { name: `Invite ${colleague.email} again` }).count()) === 0, 'a member is enabled, not invited again');

  // At once: the colleague's next request in this account is refused (membership_disabled) and
  // the sign-in page says why, naming the account the app was in.
  await nav(member, 'Orders').click();
  await member.getByRole('heading', { name: 'Sign in to Signet' }).waitFor();
  const notice = member.locator('#signin-disabled');
  await notice.getByText(`Your access to ${config.account} was disabled`).waitFor();
  await notice.getByText('You can sign in to another account you belong to, or ask an owner of this account to enable you again.').waitFor();
  await screenshot(member, shots, '25b-signin-disabled');
  await member.getByLabel('Language').selectOption('zh-CN');
  await notice.getByText(`您对 ${config.account} 的访问已被停用`).waitFor();
  await notice.getByText('您可以登录您所属的其他账户，或请该账户的所有者重新启用您。').waitFor();
  await screenshot(member, shots, '25c-signin-disabled-zh');
  await member.getByLabel('语言').selectOption('en');
  // A reload asks GET /session, which gives the same reason (the account is not known then).
  await member.reload();
  await notice.getByText('Your access to this account was disabled').waitFor();
  // Signing in again goes to the account they are still active in.
  await signIn(member, colleague);
  await heading(member, 'Overview');
  assert((await accountButton(member).count()) === 0, 'one active account left: no switcher');

  await person.getByRole('button', { name: `Enable ${colleague.email}` }).click();
  await badge(person, 'active').waitFor();
  await member.reload();
  await accountButton(member).getByText(config.other_account).waitFor();
  await member.context().close();
}

async function peopleInChinese(page) {
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { level: 1, name: '成员管理' }).waitFor();
  await badge(row(page, colleague.email), 'active').getByText('已启用').waitFor();
  assert(!(await page.locator('main').getByText(/\b(Active|Invited|Disabled|Owner|Member|People)\b/).count()), 'no English left on the People page');
  // An invitation from the Chinese page, then sent again (the first link stops working).
  const newHire = 'new-hire@example.com';
  await page.getByRole('button', { name: '邀请', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '邀请成员' });
  await dialog.getByLabel('邮箱').fill(newHire);
  await screenshot(page, shots, '20c-invite-dialog-zh');
  await dialog.getByRole('button', { name: '发送邀请' }).click();
  await dialog.getByRole('status').getByText(`已向 ${newHire} 发送邀请。`).waitFor();
  await dialog.getByRole('button', { name: '完成' }).click();
  await invitationFor(newHire, config.account);
  const sent = mails(config.mailbox).length;
  await row(page, newHire).getByRole('button', { name: `重新发送邀请：${newHire}` }).click();
  await page.locator('#people-notice').getByText(`已向 ${newHire} 重新发送邀请，之前的链接已失效。`).waitFor();
  await invitationFor(newHire, config.account, { after: sent });
  await badge(row(page, newHire), 'invited').getByText('已邀请').waitFor();
  await screenshot(page, shots, '21b-people-zh');
  // Withdrawing an open invitation: the same confirmation, worded for a link.
  await row(page, newHire).getByRole('button', { name: `撤回对 ${newHire} 的邀请` }).click();
  const withdraw = page.getByRole('dialog', { name: `撤回对 ${newHire} 的邀请？` });
  await withdraw.getByText('邮件中的链接将立即失效。').waitFor();
  await withdraw.getByRole('button', { name: '撤回', exact: true }).click();
  await badge(row(page, newHire), 'withdrawn').getByText('邀请已撤回').waitFor();
  await page.locator('#people-notice').getByText(`已撤回对 ${newHire} 的邀请。`).waitFor();
  await row(page, newHire).getByRole('button', { name: `再次邀请 ${newHire}` }).waitFor();
  await screenshot(page, shots, '21d-people-withdrawn-zh');
  await page.getByLabel('语言').selectOption('en');
  await heading(page, 'People');
}

async function phone(browser) {
  const page = await newPage(browser, 'phone', { width: 390, height: 844 });
  await signIn(page, config.applicant);
  await heading(page, 'Overview');
  await page.getByRole('button', { name: 'Menu' }).click();
  await nav(page, 'Orders').click();
  await heading(page, 'Orders');
  await page.getByRole('link', { name: /www\.console\.insecure\.test/ }).first().click();
  await page.getByText('The certificate is issued.').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal scrolling at 390px (overflow ${overflow}px)`);
  await screenshot(page, shots, '19-order-phone');
  await page.getByRole('button', { name: 'Menu' }).click();
  await nav(page, 'People').click();
  await heading(page, 'People');
  await badge(row(page, colleague.email), 'active').waitFor();
  const peopleOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(peopleOverflow <= 0, `People does not scroll sideways at 390px (overflow ${peopleOverflow}px)`);
  await screenshot(page, shots, '26-people-phone');
  await page.getByRole('button', { name: 'Menu' }).click();
  await nav(page, 'Certificates').click();
  await page.locator('#cert-table tbody tr').first().waitFor();
  const listOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(listOverflow <= 0, `the certificate list does not scroll sideways at 390px (overflow ${listOverflow}px)`);
  await screenshot(page, shots, '26b-certificates-phone');
  await page.context().close();
}

const browser = await launch(config.chromium);
let failed = false;
// SIGNET_E2E_ONLY=buyers runs the buyers' journeys alone (while working on them); by default all.
const only = process.env.SIGNET_E2E_ONLY || '';
try {
  if (only !== 'buyers') {
    const applicant = await dvJourney(browser);
    await afterIssuance(applicant);
    await uploadEncryptedKey(applicant);
    await ovJourney(browser, applicant);
    await chinese(applicant);
    await otherPages(applicant);
    await invite(applicant);
    await withdrawAndInviteAgain(browser, applicant);
    const member = await acceptInvitations(browser);
    await disableAndEnable(applicant, member);
    await peopleInChinese(applicant);
    await phone(browser);
    await applicant.context().close();
  }
  // Buyers invited by the initial administrator, in English and in 中文 (test/console/buyers.mjs);
  // then 31 days pass and their unpublished validations have expired.
  const env = { config, shots, newPage: (name, viewport, locale) => newPage(browser, name, viewport, locale) };
  const buyers = [];
  for (const lang of ['en', 'zh']) buyers.push(await buyerJourney(env, lang));
  // Brands: the administrator's Upstream CAs page and a certificate from pebble.
  await upstreamJourney(env);
  await moveClock(config.control, 31 * 86400);
  for (const state of buyers) await expiredValidation(env, state);
} catch (e) {
  failed = true;
  console.error(e.stack || e);
  // What each open page showed when it failed.
  let n = 0;
  for (const context of browser.contexts()) {
    for (const p of context.pages()) {
      await screenshot(p, shots, `failure-${++n}`).catch(() => undefined);
      console.error(`failure-${n}.png: ${p.url()}`);
    }
  }
} finally {
  await browser.close();
}
if (collector.errors.length) {
  failed = true;
  console.error('browser console errors:\n' + collector.errors.join('\n'));
}
console.log(failed ? 'console e2e: FAILED' : `console e2e: passed; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);

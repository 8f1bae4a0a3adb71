// Deployment (issue 16) in the browser, part of each buyer's journey (test/console/buyers.mjs), in
// English and in 中文 (controls found by the words of that language): on the Deployment targets
// page the buyer adds an SSH target for the real OpenSSH server test_console.py started (the
// client key pasted, the files of that language's nginx site, its reload command) and tests the
// connection. In English the pin typed first is another key's: the test fails, shows the
// fingerprint the server presented, and "Use this host key as the pin" opens the form with it, to
// be saved; the test then passes. (English also adds a webhook target, whose signing secret is
// shown once, and deletes it.) On the reissued certificate's page the buyer deploys it to the
// target, checked at 127.0.0.1:<the site's port> with the certificate's name as the server name
// (the form's default), and watches the run reach "succeeded" without reloading; "Deploy again"
// runs once more. In English both pages are also checked at phone width, and deleting the target
// while it is in use is refused with the server's reason (409 target_in_use); the binding is
// removed and the target then deleted.
// The certificate's name and serial are written to config.deployment.results/<lang>.json:
// test_console.py then asks nginx which serial it serves.
import fs from 'node:fs';
import path from 'node:path';
import { assert, englishLeaks, screenshot, strings, until } from './lib.mjs';

const DEPLOY_TIMEOUT = 90_000;
const nav = (page, name) => page.getByRole('navigation', { name: /Main|主导航/ }).getByRole('link', { name, exact: true });
const heading = (page, text) => page.getByRole('heading', { level: 1, name: text }).first().waitFor();
const normal = (serial) => serial.toLowerCase().replace(/^0+/, '') || '0';

async function noEnglish(lang, page, what, allow) {
  if (lang !== 'zh') return;
  const leaks = await englishLeaks(page, allow);
  assert(!leaks.length, `no English on ${what} in 中文: ${leaks.join('; ')}`);
}

/** The page at 390 px does not scroll sideways (screenshot `name`); then back to its size. */
async function atPhoneWidth(page, shots, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${name}: no horizontal scrolling at 390px (overflow ${overflow}px)`);
    await screenshot(page, shots, name);
  } finally {
    await page.setViewportSize(size);
  }
}

/** `cert`: {id, name} of a certificate whose key Signet holds. */
export async function deploymentJourney(env, lang, page, cert, allow = []) {
  const { config, shots } = env;
  const d = config.deployment;
  const T = strings(lang);
  const shot = (n, name) => screenshot(page, shots, `${n}-${lang}-${name}`);
  const site = d.sites[lang];
  const ssh = d.ssh;
  const target = lang === 'zh' ? '网站服务器-1' : 'web-1 nginx';
  // The user Signet logs in as is named in the test's result.
  allow = [...allow, ssh.username];

  // The targets page, empty.
  await nav(page, T('nav.deployment')).click();
  await heading(page, T('targets.title'));
  const list = page.locator('#target-list');
  await page.getByText(T('targets.none')).waitFor();

  if (lang === 'en') {
    // A webhook target: its signing secret is shown once, with a copy button.
    await page.getByRole('button', { name: T('targets.add') }).click();
    const add = page.getByRole('dialog', { name: T('targets.add_title') });
    await add.locator('#target-kind-webhook').check();
    await add.getByLabel(T('targets.name'), { exact: true }).fill('hooks');
    await add.getByLabel(T('targets.url'), { exact: true }).fill('https://hooks.example.com/signet');
    await add.getByRole('button', { name: T('targets.add_submit') }).click();
    const secret = page.locator('#webhook-secret');
    await secret.getByText(T('targets.secret_text')).waitFor();
    const value = (await secret.locator('[data-field="webhook_secret"]').textContent()).trim();
    assert(value.length >= 32, 'the webhook secret is shown: ' + value);
    await secret.getByRole('button', { name: T('action.copy_what', { what: T('targets.secret_label') }) }).waitFor();
    await list.locator('li[data-name="hooks"]').getByText('https://hooks.example.com/signet').waitFor();
    await shot(47, 'webhook-secret');
    // Not in the list, and gone for good after a reload.
    await page.reload();
    await list.locator('li[data-name="hooks"]').waitFor();
    assert((await page.locator('#webhook-secret').count()) === 0, 'the webhook secret is not shown again');
    await list.locator('li[data-name="hooks"]').getByRole('button', { name: T('action.delete_what', { what: 'hooks' }) }).click();
    const confirm = page.getByRole('dialog', { name: T('targets.delete_title', { name: 'hooks' }) });
    await confirm.getByRole('button', { name: T('action.delete'), exact: true }).click();
    await page.locator('#targets-notice').getByText(T('targets.deleted', { name: 'hooks' })).waitFor();
    await page.getByText(T('targets.none')).waitFor();
  }

  // The SSH target: the key pasted, the site's files and reload command.
  await page.getByRole('button', { name: T('targets.add') }).click();
  const dialog = page.getByRole('dialog', { name: T('targets.add_title') });
  assert(await dialog.locator('#target-kind-ssh').isChecked(), 'an SSH server is the default kind');
  await dialog.locator('label[for="target-kind-local"]').getByText(T('target_type.local')).waitFor();
  assert((await dialog.locator('#target-kind-agent').count()) === 0, 'agents are not offered');
  await dialog.getByLabel(T('targets.name'), { exact: true }).fill(target);
  await dialog.locator('#target-host').fill('127.0.0.1');
  await dialog.locator('#target-port').fill(String(ssh.port));
  await dialog.getByLabel(T('targets.username'), { exact: true }).fill(ssh.username);
  await dialog.locator('#target-private-key').fill(ssh.client_key_pem);
  // English pins another key first, to see the test show the one presented.
  await dialog.getByLabel(T('targets.host_key'), { exact: true }).fill(lang === 'en' ? ssh.other_host_key : ssh.host_key);
  await dialog.getByLabel(T('target_file.fullchain'), { exact: true }).fill(site.cert_file);
  await dialog.locator('#target-file-private_key').fill(site.key_file);
  await dialog.getByLabel(T('targets.reload'), { exact: true }).fill(site.reload_command);
  await shot(48, 'target-form');
  await noEnglish(lang, page, 'the target form', allow);
  await dialog.getByRole('button', { name: T('targets.add_submit') }).click();
  await page.locator('#targets-notice').getByText(T('targets.created', { name: target })).waitFor();
  const row = list.locator(`li[data-name="${target}"]`);
  await row.locator('code.target-address').getByText(`${ssh.username}@127.0.0.1:${ssh.port}`).waitFor();
  const test = row.getByRole('button', { name: T('targets.test_named', { name: target }) });

  if (lang === 'en') {
    await test.click();
    const failed = row.locator('.test-result[data-ok="false"]');
    await failed.getByText(T('targets.test_failed')).waitFor({ timeout: 30_000 });
    const presented = (await failed.locator('[data-field="presented-host-key"]').textContent()).trim();
    assert(presented === ssh.host_key, `the test shows the host key presented (${presented})`);
    await failed.getByText(T('targets.presented_other')).waitFor();
    await shot('48b', 'target-test-other-key');
    await failed.getByRole('button', { name: T('targets.use_host_key') }).click();
    const edit = page.getByRole('dialog', { name: T('targets.edit_title', { name: target }) });
    await edit.locator('#target-pin-notice').waitFor();
    assert((await edit.getByLabel(T('targets.host_key'), { exact: true }).inputValue()) === ssh.host_key, 'the form has the presented key as the pin');
    // Secrets are never shown: the stored key is kept when the field stays empty.
    assert((await edit.locator('#target-private-key').inputValue()) === '', 'the stored key is not shown');
    await edit.getByText(T('targets.keep_key')).waitFor();
    await edit.getByRole('button', { name: T('action.save'), exact: true }).click();
    await page.locator('#targets-notice').getByText(T('targets.saved', { name: target })).waitFor();
    await row.locator('code.host-key').getByText(ssh.host_key).waitFor();
  }
  await test.click();
  const ok = row.locator('.test-result[data-ok="true"]');
  await ok.getByText(T('targets.test_ok', { user: ssh.username, host: '127.0.0.1' })).waitFor({ timeout: 30_000 });
  assert((await ok.locator('[data-field="presented-host-key"]').textContent()).trim() === ssh.host_key, 'the fingerprint presented is shown');
  await shot(49, 'deployment-targets');
  await noEnglish(lang, page, 'the deployment targets', allow);
  if (lang === 'en') await atPhoneWidth(page, shots, '49b-en-deployment-targets-phone');

  // The certificate's Deployment section: deploy to the target, checked at the nginx site.
  await page.goto(config.url + '/certificates/' + cert.id);
  const section = page.locator('#deployment');
  await section.getByRole('heading', { name: T('deploy.title'), exact: true }).waitFor();
  await section.getByText(T('deploy.nowhere')).waitFor();
  const serial = await page.evaluate((id) => fetch('/api/v1/certificates/' + id).then((r) => r.json()).then((c) => c.serial), cert.id);
  const form = section.locator('#deploy-form');
  await until(async () => (await form.locator('#deploy-target option:checked').textContent()).includes(target), { what: 'the target chosen' });
  // Defaults: port 443 and the certificate's first name as the server name.
  assert((await form.getByLabel(T('deploy.port'), { exact: true }).inputValue()) === '443', 'port 443 by default');
  assert((await form.getByLabel(T('deploy.server_name'), { exact: true }).inputValue()) === cert.name, 'the server name is the certificate name by default');
  await form.getByLabel(T('deploy.host'), { exact: true }).fill('127.0.0.1');
  await form.getByLabel(T('deploy.port'), { exact: true }).fill(String(site.port));
  await form.getByRole('button', { name: T('deploy.submit'), exact: true }).click();
  await section.locator('#deployment-notice').getByText(T('deploy.started', { target })).waitFor();
  // The section reads the runs again while one is pending or running: no reload.
  const runs = section.locator('#deployment-runs');
  await runs.locator('li[data-trigger="binding"]').first().waitFor();
  await runs.locator('li[data-trigger="binding"][data-status="succeeded"]').waitFor({ timeout: DEPLOY_TIMEOUT }).catch(async (e) => {
    const text = await runs.textContent().catch(() => '');
    throw new Error(`the deployment did not succeed: ${text}\n${e.message}`);
  });
  const binding = section.locator(`#binding-table tr[data-target="${target}"]`);
  await binding.locator('.badge[data-status="succeeded"]').getByText(T('deploy_status.succeeded')).waitFor();
  await binding.locator('code.endpoint').getByText(`127.0.0.1:${site.port}`).waitFor();
  const served = (await binding.locator('td.served code').textContent()).trim();
  assert(normal(served) === normal(serial), `the served serial (${served}) is the certificate's (${serial})`);
  await runs.locator('li[data-status="succeeded"]').getByText(T('deploy_trigger.binding')).waitFor();
  await shot(50, 'certificate-deployment');
  await noEnglish(lang, page, 'the certificate deployment section', allow);
  if (lang === 'en') await atPhoneWidth(page, shots, '50c-en-certificate-deployment-phone');

  // Deploy again: a manual run, also to the end.
  await binding.getByRole('button', { name: T('deploy.again_named', { target }) }).click();
  await runs.locator('li[data-trigger="manual"][data-status="succeeded"]').waitFor({ timeout: DEPLOY_TIMEOUT });
  assert((await runs.locator('li').count()) === 2, 'two runs listed');
  assert((await runs.locator('li').first().getAttribute('data-trigger')) === 'manual', 'newest first');

  if (lang === 'en') {
    // A target in use is not deleted: the server says why.
    await nav(page, T('nav.deployment')).click();
    await heading(page, T('targets.title'));
    await row.getByRole('button', { name: T('action.delete_what', { what: target }) }).click();
    const confirm = page.getByRole('dialog', { name: T('targets.delete_title', { name: target }) });
    await confirm.getByRole('button', { name: T('action.delete'), exact: true }).click();
    const refused = confirm.locator('.error[data-code="target_in_use"]');
    await refused.getByText(T('problem.target_in_use')).waitFor();
    assert(((await refused.locator('.detail').textContent()) || '').trim().length > 0, "the server's detail is shown");
    await shot('50b', 'target-in-use');
    await confirm.getByRole('button', { name: T('action.keep') }).click();
    // The binding removed (the files stay), the target can go.
    await page.goto(config.url + '/certificates/' + cert.id);
    await binding.getByRole('button', { name: T('deploy.remove_named', { target }) }).click();
    const remove = page.getByRole('dialog', { name: T('deploy.remove_title', { target }) });
    await remove.getByRole('button', { name: T('deploy.remove'), exact: true }).click();
    await section.locator('#deployment-notice').getByText(T('deploy.removed', { target })).waitFor();
    await section.getByText(T('deploy.nowhere')).waitFor();
    assert((await runs.locator('li').count()) === 2, 'the runs stay listed');
    await nav(page, T('nav.deployment')).click();
    await row.getByRole('button', { name: T('action.delete_what', { what: target }) }).click();
    await page.getByRole('dialog', { name: T('targets.delete_title', { name: target }) }).getByRole('button', { name: T('action.delete'), exact: true }).click();
    await page.locator('#targets-notice').getByText(T('targets.deleted', { name: target })).waitFor();
  }

  // Back to the certificate list, where the journey was (it has read the product names since).
  await nav(page, T('nav.certificates')).click();
  await page.locator('#cert-table tbody tr').first().waitFor();
  await until(async () => (await page.locator('.loading').count()) === 0, { what: 'the certificate list to finish loading' });

  fs.mkdirSync(d.results, { recursive: true });
  fs.writeFileSync(path.join(d.results, lang + '.json'), JSON.stringify({ name: cert.name, serial, certificate_id: cert.id }));
}

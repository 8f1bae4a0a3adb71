// Monitoring (issue 17) in the browser, part of each buyer's journey (test/console/buyers.mjs), in
// English and in 中文 (controls found by the words of that language; in 中文 no English left on
// the screen). test_console.py runs two nginx sites per language (deploy_servers.TlsSite): one
// the buyer installs their reissued certificate on "by hand" (the browser downloads the nginx
// bundle and asks test_console.py, through the control directory, to install the files), and one
// serving the self-signed certificate `openssl req -x509` made. The buyer:
//  1. adds a monitor for the first site on the Monitors page (the port follows the protocol until
//     typed), checks it now: OK, with the certificate's expiry;
//  2. installs the certificate without its intermediate, checks again: critical, "Incomplete
//     chain" explained with what to do (the full chain);
//  3. discovery: both sites' ports on 127.0.0.1 looked at from the Discover dialog, the answer
//     shown as the API gave it: the first site's certificate "already known" (the buyer's, linked,
//     watched already), the self-signed one "added to the inventory" (linked to its new entry),
//     each problem explained; "Add a monitor" on the self-signed endpoint watches it; the link
//     opens the discovered certificate's page: named "discovered on 127.0.0.1:<port>" in the
//     reader's language, explained as watched but not managed (links to buy a certificate and to
//     the monitors), with no reissue, renewal, revocation, deployment or download with a key; the
//     certificate list marks it discovered; back on the list that monitor is checked: critical,
//     "Self-signed" explained;
//  4. opens the first monitor's page: the address's served certificate (names, issuer, expiry,
//     key, SHA-256 as the API has them) linked to the certificate in the inventory, the problem
//     explained, and the timeline (critical, then OK: the change marked), as the API lists it;
//     in English also changes the interval, pauses and resumes it, and deletes the self-signed
//     monitor from the list;
//  5. the overview: every number (certificates by status, expiring within 7/30/90 days, monitors
//     in trouble, failed deployments) is the API's, counted here independently; "monitors in
//     trouble" opens the list filtered to them (in English also the failed deployments and the
//     active certificates). In English the list, the discovery results, the monitor's page and the
//     overview are also checked not to scroll sideways at 390 px.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { assert, englishLeaks, installOnSite, screenshot, strings, until } from './lib.mjs';

const CHECK_TIMEOUT = 30_000;
const nav = (page, name) => page.getByRole('navigation', { name: /Main|主导航/ }).getByRole('link', { name, exact: true });
const heading = (page, text) => page.getByRole('heading', { level: 1, name: text }).first().waitFor();
const END = '-----END CERTIFICATE-----';

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

/** The certificate's files as a server needs them, from its nginx download (the browser's
 * session): the certificate with its intermediates, the certificate alone, and the key. */
async function certificateFiles(page, url, id) {
  const r = await page.request.get(`${url}/api/v1/certificates/${id}/download?format=nginx`);
  assert(r.ok(), `the nginx bundle of ${id} downloads (${r.status()})`);
  const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'console-monitor-')), 'nginx.zip');
  fs.writeFileSync(zip, await r.body());
  const names = execFileSync('unzip', ['-Z1', zip]).toString().trim().split('\n');
  const read = (suffix) => {
    const name = names.find((n) => n.endsWith(suffix));
    assert(name, `the nginx bundle has a ${suffix} file: ${names.join(', ')}`);
    return execFileSync('unzip', ['-p', zip, name]).toString();
  };
  const fullchain = read('.crt');
  const key = read('.key');
  assert(fullchain.split(END).length > 2, 'the .crt has the certificate and its intermediate');
  return { fullchain, leaf: fullchain.slice(0, fullchain.indexOf(END) + END.length) + '\n', key };
}

/** Counts of a paginated API collection (200 a page), the overview's numbers checked apart from
 * the console's own code. */
async function apiCounts(page) {
  return page.evaluate(async () => {
    const items = async (path) => {
      const out = [];
      let token = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const r = await fetch('/api/v1' + path + sep + 'page_size=200' + (token ? '&page_token=' + encodeURIComponent(token) : ''));
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        const body = await r.json();
        out.push(...body.items);
        token = body.next_page_token;
      } while (token);
      return out;
    };
    const n = async (path) => (await items(path)).length;
    const monitors = await items('/monitors');
    const runs = await items('/deployments');
    return {
      'stat-active': await n('/certificates?status=active'),
      'stat-expired': await n('/certificates?status=expired'),
      'stat-revoked': await n('/certificates?status=revoked'),
      'stat-expiring-7': await n('/certificates?status=active&expiring_within_days=7'),
      'stat-expiring-30': await n('/certificates?status=active&expiring_within_days=30'),
      'stat-expiring-90': await n('/certificates?status=active&expiring_within_days=90'),
      'stat-monitors-trouble': monitors.filter((m) => ['warning', 'critical', 'unreachable'].includes(m.status)).length,
      'stat-deployments-failed': runs.filter((d) => d.status === 'failed' || d.status === 'rolled_back').length,
    };
  });
}

/** Adds a monitor from the Monitors page; returns the API's monitor. */
async function addMonitor(page, T, { port, serverName, interval, checkPorts = false }) {
  await page.getByRole('button', { name: T('monitors.add') }).click();
  const dialog = page.getByRole('dialog', { name: T('monitors.add_title') });
  const portField = dialog.getByLabel(T('monitors.port'), { exact: true });
  assert((await portField.inputValue()) === '443', 'port 443 for HTTPS by default');
  if (checkPorts) {
    // The port follows the protocol until it is typed.
    await dialog.getByLabel(T('monitors.protocol'), { exact: true }).selectOption('smtp');
    assert((await portField.inputValue()) === '25', 'port 25 for SMTP');
    await dialog.getByLabel(T('monitors.protocol'), { exact: true }).selectOption('imap');
    assert((await portField.inputValue()) === '143', 'port 143 for IMAP');
    await dialog.getByLabel(T('monitors.protocol'), { exact: true }).selectOption('https');
    assert((await portField.inputValue()) === '443', 'back to 443 for HTTPS');
  }
  await dialog.getByLabel(T('monitors.host'), { exact: true }).fill('127.0.0.1');
  await portField.fill(String(port));
  await dialog.getByLabel(T('monitors.server_name'), { exact: true }).fill(serverName);
  await dialog.getByLabel(T('monitors.interval'), { exact: true }).selectOption(String(interval));
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/monitors') && r.request().method() === 'POST'),
    dialog.getByRole('button', { name: T('monitors.add_submit') }).click(),
  ]);
  assert(response.status() === 201, 'the monitor is created: HTTP ' + response.status());
  const m = await response.json();
  await page.locator('#monitors-notice').getByText(T('monitors.created', { endpoint: `127.0.0.1:${port}` })).waitFor();
  return m;
}

/** Check now on the list; waits for the result with `status`. */
async function checkNow(page, T, endpoint, status) {
  const row = page.locator(`#monitor-table tr[data-endpoint="${endpoint}"]`);
  await row.getByRole('button', { name: T('monitors.check_named', { endpoint }) }).click();
  const result = page.locator(`#check-result[data-status="${status}"]`);
  await result.waitFor({ timeout: CHECK_TIMEOUT }).catch(async (e) => {
    const seen = await page.locator('#check-result').textContent().catch(() => '(no result)');
    throw new Error(`the check of ${endpoint} is not ${status}: ${seen}\n${e.message}`);
  });
  await result.getByText(T('monitors.result_title', { endpoint })).waitFor();
  // The list is read again: the row shows the new status.
  await row.locator(`.badge[data-status="${status}"]`).waitFor();
  return result;
}

/** A problem as the console explains it: its title, what it means and what to do. */
async function explained(scope, T, code) {
  const problem = scope.locator(`li.problem[data-code="${code}"]`).first();
  await problem.locator('.problem-title').getByText(T('mproblem.' + code), { exact: true }).waitFor();
  await problem.locator('.problem-why').getByText(T('mproblem.' + code + '.why')).waitFor();
  const todo = (await problem.locator('.problem-todo').textContent()).trim();
  const expected = T('monitor.problem_todo') + ' ' + T('mproblem.' + code + '.todo', { fullchain: 'fullchain' });
  assert(todo.startsWith(expected), `what to do about ${code}: "${todo}" starts with "${expected}"`);
  // What Signet saw, as the server said it (a value: English in both languages).
  assert(((await problem.locator('.problem-detail code').textContent()) || '').trim().length > 0, `the server's detail of ${code}`);
  return problem;
}

/** Discovery from the Monitors page (step 3): the two sites' ports on 127.0.0.1; the answer as the
 * API gave it; a monitor added for the self-signed endpoint; its new inventory entry opened. */
async function discovery(page, T, lang, { sites, cert, good, bad, shot, shots, allow }) {
  await page.getByRole('button', { name: T('discover.open'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: T('discover.title') });
  await dialog.getByLabel(T('discover.hosts'), { exact: true }).fill('127.0.0.1');
  await dialog.getByLabel(T('discover.ports'), { exact: true }).fill(`${sites.good.port}, ${sites.self_signed.port}`);
  await shot('53b', 'discover-form');
  await noEnglish(lang, page, 'the discovery dialog', allow);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/monitors/discover') && r.request().method() === 'POST'),
    dialog.getByRole('button', { name: T('discover.submit'), exact: true }).click(),
  ]);
  assert(response.status() === 200, 'discovery answers: HTTP ' + response.status());
  assert(JSON.stringify(JSON.parse(response.request().postData())) === JSON.stringify({ hosts: ['127.0.0.1'], ports: [sites.good.port, sites.self_signed.port] }),
    'the hosts and ports as typed: ' + response.request().postData());
  const items = (await response.json()).items;
  const item = (endpoint) => items.find((e) => `${e.host}:${e.port}` === endpoint);
  const known = item(good);
  const found = item(bad);
  assert(items.length === 2 && known && found, 'both endpoints looked at: ' + JSON.stringify(items));
  assert(known.added === false && known.certificate_id === cert.id, "the first site serves the buyer's certificate, already known: " + JSON.stringify(known));
  assert(found.added === true && /^dc_/.test(found.certificate_id || '') && found.certificate.subject === 'CN=' + sites.self_signed.name,
    'the self-signed certificate is new to the inventory: ' + JSON.stringify(found));
  await dialog.locator('#discover-count').getByText(T('discover.results_count', { n: 2, added: 1 })).waitFor();

  // Each endpoint's row: status, names, expiry, inventory, and its problems explained.
  for (const [endpoint, e] of [[good, known], [bad, found]]) {
    const row = dialog.locator(`#discover-table tbody[data-endpoint="${endpoint}"]`);
    await row.locator(`.badge[data-status="${e.status}"]`).getByText(T('monitor_status.' + e.status)).waitFor();
    for (const name of e.certificate.names) await row.locator('.certificate-cell ul.names code').getByText(name, { exact: true }).waitFor();
    // `openssl req -x509` made a certificate with a subject and no subjectAltName: the subject.
    if (!e.certificate.names.length) await row.locator('.certificate-cell code.subject').getByText(e.certificate.subject, { exact: true }).waitFor();
    await row.locator(`.certificate-cell time[datetime="${e.certificate.not_after}"]`).waitFor();
    const inventory = row.locator('[data-field="inventory"]');
    await inventory.getByText(T(e.added ? 'discover.added' : 'discover.known'), { exact: true }).waitFor();
    const link = inventory.getByRole('link', { name: T('discover.view_certificate'), exact: true });
    assert((await link.getAttribute('href')) === '/certificates/' + e.certificate_id, `${endpoint} links to its certificate`);
    const codes = await row.locator('li.problem').evaluateAll((lis) => lis.map((li) => li.dataset.code));
    assert(JSON.stringify(codes) === JSON.stringify(e.problems.map((p) => p.code)), `the problems of ${endpoint} are the API's: ${codes}`);
  }
  const knownRow = dialog.locator(`#discover-table tbody[data-endpoint="${good}"]`);
  const foundRow = dialog.locator(`#discover-table tbody[data-endpoint="${bad}"]`);
  await explained(foundRow, T, 'self_signed');
  await explained(knownRow, T, 'chain_incomplete');
  // The first site is watched already: its monitor is linked, nothing to add.
  await knownRow.getByRole('link', { name: T('discover.watched'), exact: true }).waitFor();
  assert((await knownRow.getByRole('button', { name: T('discover.add_monitor_named', { endpoint: good }) }).count()) === 0, 'no second monitor offered');
  await shot('53c', 'discover-results');
  await noEnglish(lang, page, 'the discovery results', allow);
  if (lang === 'en') {
    // On a phone the results stack, one endpoint a card: neither the page nor the dialog scrolls
    // sideways.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    const inside = await page.locator('[role="dialog"]').evaluate((d) => d.scrollWidth - d.clientWidth);
    await dialog.locator('#discover-results').scrollIntoViewIfNeeded();
    await atPhoneWidth(page, shots, '53c-en-discover-phone');
    await page.setViewportSize(size);
    assert(inside <= 0, `the discovery dialog does not scroll sideways at 390px (overflow ${inside}px)`);
  }

  // A monitor for the self-signed endpoint, from its row.
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/monitors') && r.request().method() === 'POST'),
    foundRow.getByRole('button', { name: T('discover.add_monitor_named', { endpoint: bad }) }).click(),
  ]);
  assert(created.status() === 201, 'the monitor is created: HTTP ' + created.status());
  const m = await created.json();
  assert(m.host === '127.0.0.1' && m.port === sites.self_signed.port && m.protocol === 'https', 'the monitor is for the endpoint found: ' + JSON.stringify(m));
  const watched = foundRow.getByRole('link', { name: T('discover.watched'), exact: true });
  await watched.waitFor();
  assert((await watched.getAttribute('href')) === '/monitors/' + m.id, 'the new monitor is linked');
  await page.locator('#monitors-notice').getByText(T('monitors.created', { endpoint: bad })).waitFor();
  await page.locator(`#monitor-table tr[data-endpoint="${bad}"] .badge[data-status="unchecked"]`).waitFor();

  // The discovered certificate's page, from its link.
  await foundRow.locator('[data-field="inventory"]').getByRole('link', { name: T('discover.view_certificate'), exact: true }).click();
  await until(() => new URL(page.url()).pathname === '/certificates/' + found.certificate_id, { what: 'the link to open the discovered certificate' });
  const entry = await page.evaluate((id) => fetch('/api/v1/certificates/' + id).then((r) => r.json()), found.certificate_id);
  assert(entry.source === 'discovered' && entry.alias === `discovered on ${bad}`, 'in the inventory as discovered: ' + JSON.stringify(entry));
  // The server's alias, in the reader's language.
  const shownName = T('cert.discovered_on', { endpoint: bad });
  await page.getByRole('heading', { level: 1, name: shownName }).waitFor();
  await page.locator('#cert-names').waitFor({ state: 'attached' });
  // Watched, not managed: said so, with the ways on (a certificate Signet manages, the monitors).
  const note = page.locator('#cert-discovered');
  await note.getByRole('heading', { name: T('cert.discovered_title'), exact: true }).waitFor();
  const said = ((await note.locator('p').first().textContent()) || '').replace(/\s+/g, ' ').trim();
  assert(said === T('cert.discovered_text', { where: bad }), `the discovered certificate explained: "${said}"`);
  await note.locator('code').getByText(bad, { exact: true }).waitFor();
  assert((await note.getByRole('link', { name: T('cert.discovered_order'), exact: true }).getAttribute('href')) === '/purchase', 'a link to buy a certificate');
  assert((await note.getByRole('link', { name: T('cert.discovered_monitors'), exact: true }).getAttribute('href')) === '/monitors', 'a link to the monitors');
  // Nothing that needs Signet to have issued it or to hold its key; its PEM downloads.
  const main = page.locator('main');
  for (const key of ['cert.reissue', 'cert.renew', 'cert.revoke', 'cert.download']) {
    assert((await main.getByRole('button', { name: T(key), exact: true }).count()) === 0, `no "${T(key)}" on a discovered certificate`);
  }
  await main.getByRole('button', { name: T('cert.download_pem'), exact: true }).waitFor();
  assert((await page.locator('#deployment').count()) === 0, 'no deployment section on a discovered certificate');
  await shot('53d', 'discovered-certificate');
  await noEnglish(lang, page, "the discovered certificate's page", allow);
  // The certificate list marks it discovered, named in the reader's language.
  await nav(page, T('nav.certificates')).click();
  await heading(page, T('certs.title'));
  const listed = page.locator(`#cert-table tr[data-id="${found.certificate_id}"]`);
  await listed.getByRole('link', { name: shownName, exact: true }).waitFor();
  await listed.locator('.badge[data-source="discovered"]').getByText(T('certs.discovered'), { exact: true }).waitFor();
  await noEnglish(lang, page, 'the certificate list with a discovered certificate', allow);
  await nav(page, T('nav.monitors')).click();
  await heading(page, T('monitors.title'));
}

/** `cert`: {id, name} of the buyer's reissued certificate (Signet holds its key). */
export async function monitoringJourney(env, lang, page, cert, allow = []) {
  const { config, shots } = env;
  const T = strings(lang);
  const shot = (n, name) => screenshot(page, shots, `${n}-${lang}-${name}`);
  const sites = config.monitoring.sites[lang];
  const files = await certificateFiles(page, config.url, cert.id);
  const good = `127.0.0.1:${sites.good.port}`;
  const bad = `127.0.0.1:${sites.self_signed.port}`;
  allow = [...allow];

  // 1. The reissued certificate with its chain on the site; a monitor for it, checked now.
  await installOnSite(config.control, { site: sites.good.id, fullchain: files.fullchain, key: files.key, serverName: cert.name });
  await nav(page, T('nav.monitors')).click();
  await heading(page, T('monitors.title'));
  await page.locator('#monitors-empty').getByText(T('monitors.none')).waitFor();
  await page.getByRole('button', { name: T('monitors.add') }).click();
  await page.getByRole('dialog', { name: T('monitors.add_title') }).waitFor();
  await shot(51, 'monitor-add');
  await noEnglish(lang, page, 'the add-monitor dialog', allow);
  await page.keyboard.press('Escape');
  const m = await addMonitor(page, T, { port: sites.good.port, serverName: cert.name, interval: 60, checkPorts: lang === 'en' });
  assert(m.interval_minutes === 60 && m.protocol === 'https' && m.server_name === cert.name, 'the monitor as entered: ' + JSON.stringify(m));
  const row = page.locator(`#monitor-table tr[data-endpoint="${good}"]`);
  await row.locator('.badge[data-status="unchecked"]').getByText(T('monitor_status.unchecked')).waitFor();
  let result = await checkNow(page, T, good, 'ok');
  await result.getByText(T('monitors.result_ok')).waitFor();
  await result.locator('.expiry time').waitFor();
  await row.locator('.problems-cell').getByText(T('monitors.no_problems')).waitFor();
  await shot(52, 'monitor-checked-ok');
  await noEnglish(lang, page, 'the monitors with a check that found no problem', allow);

  // 2. The intermediate left out: the chain is incomplete.
  await installOnSite(config.control, { site: sites.good.id, fullchain: files.leaf, key: files.key, serverName: cert.name });
  result = await checkNow(page, T, good, 'critical');
  await explained(result, T, 'chain_incomplete');
  await row.locator('.problems-cell li[data-code="chain_incomplete"]').getByText(T('mproblem.chain_incomplete')).waitFor();
  await shot(53, 'monitor-chain-incomplete');
  await noEnglish(lang, page, 'the check that found the chain incomplete', allow);

  // 3. Discovery finds both sites; the self-signed one is watched from there, then checked.
  await discovery(page, T, lang, { sites, cert, good, bad, shot, shots, allow });
  result = await checkNow(page, T, bad, 'critical');
  await explained(result, T, 'self_signed');
  await shot(54, 'monitor-self-signed');
  await noEnglish(lang, page, 'the check of the self-signed site', allow);
  if (lang === 'en') await atPhoneWidth(page, shots, '54b-en-monitors-phone');

  // 4. The monitor's page: the served certificate, its problems and the timeline, as the API has
  // them.
  await row.getByRole('link', { name: good, exact: true }).click();
  await page.locator('#monitor-title .endpoint').getByText(good).waitFor();
  const api = await page.evaluate((id) => fetch('/api/v1/monitors/' + id).then((r) => r.json()), m.id);
  const checks = await page.evaluate((id) => fetch('/api/v1/monitors/' + id + '/checks').then((r) => r.json()), m.id);
  assert(api.status === 'critical' && api.last_check.certificate_id === cert.id, 'the API: critical, the inventory certificate: ' + JSON.stringify(api));
  const address = page.locator('#last-check section.address[data-address="127.0.0.1"]');
  await address.locator('.badge[data-status="critical"]').waitFor();
  await explained(address, T, 'chain_incomplete');
  const served = api.last_check.addresses[0].certificate;
  assert((await address.locator('[data-field="sha256"]').textContent()).trim() === served.sha256, 'the SHA-256 shown is the API\'s');
  assert((await address.locator('[data-field="serial"]').textContent()).trim() === served.serial, 'the serial shown is the API\'s');
  for (const name of served.names) await address.locator('ul.names code').getByText(name, { exact: true }).waitFor();
  assert(served.names.includes(cert.name), `the served certificate is for ${cert.name}`);
  await address.locator('code.key').getByText(served.key, { exact: true }).waitFor();
  await address.locator('code.issuer').getByText(served.issuer, { exact: true }).waitFor();
  const inventory = address.locator('a.inventory-link');
  assert((await inventory.getAttribute('href')) === '/certificates/' + cert.id, 'linked to the certificate in the inventory');
  const timeline = page.locator('#monitor-checks > li');
  await until(async () => (await timeline.count()) === checks.items.length, { what: 'the timeline to list every check' });
  const statuses = await timeline.evaluateAll((lis) => lis.map((li) => li.dataset.status));
  assert(JSON.stringify(statuses) === JSON.stringify(checks.items.map((c) => c.status)), `the timeline ${statuses} is the API's, newest first`);
  assert(JSON.stringify(statuses) === JSON.stringify(['critical', 'ok']), 'critical, then ok: ' + statuses);
  const change = timeline.first();
  assert((await change.getAttribute('data-changed')) === 'true', 'the change of status is marked');
  await change.getByText(T('monitor.changed', { from: T('monitor_status.ok'), to: T('monitor_status.critical') })).waitFor();
  await timeline.nth(1).getByText(T('monitor.first_check')).waitFor();
  await shot(55, 'monitor-detail');
  await noEnglish(lang, page, "the monitor's page", allow);
  if (lang === 'en') await atPhoneWidth(page, shots, '55b-en-monitor-detail-phone');

  if (lang === 'en') {
    // The interval changed, paused and resumed, from the monitor's page.
    await page.getByRole('button', { name: T('monitors.change_interval_named', { endpoint: good }) }).click();
    const dialog = page.getByRole('dialog', { name: T('monitors.interval_title', { endpoint: good }) });
    await dialog.getByLabel(T('monitors.interval'), { exact: true }).selectOption('360');
    await dialog.getByRole('button', { name: T('action.save'), exact: true }).click();
    await page.locator('#monitor-notice').getByText(T('monitors.saved', { endpoint: good, interval: T('interval.every_hours', { n: 6 }) })).waitFor();
    await page.locator('#monitor-interval-text').getByText(T('interval.every_hours', { n: 6 })).waitFor();
    await page.getByRole('button', { name: T('monitors.pause_named', { endpoint: good }) }).click();
    await page.locator('#monitor-notice').getByText(T('monitors.paused_notice', { endpoint: good })).waitFor();
    await page.locator('#monitor-title .badge[data-status="paused"]').waitFor();
    let now = await page.evaluate((id) => fetch('/api/v1/monitors/' + id).then((r) => r.json()), m.id);
    assert(now.enabled === false && now.interval_minutes === 360, 'paused, every 6 hours: ' + JSON.stringify(now));
    await page.getByRole('button', { name: T('monitors.resume_named', { endpoint: good }) }).click();
    await page.locator('#monitor-notice').getByText(T('monitors.resumed_notice', { endpoint: good })).waitFor();
    now = await page.evaluate((id) => fetch('/api/v1/monitors/' + id).then((r) => r.json()), m.id);
    assert(now.enabled === true, 'resumed');
  }

  // The served certificate's page, from the inventory link.
  await inventory.click();
  await page.locator('#cert-names').getByText(cert.name, { exact: true }).waitFor();
  assert(new URL(page.url()).pathname === '/certificates/' + cert.id, 'the inventory link opens the certificate: ' + page.url());

  if (lang === 'en') {
    // The self-signed site is no longer watched.
    await nav(page, T('nav.monitors')).click();
    const selfSigned = page.locator(`#monitor-table tr[data-endpoint="${bad}"]`);
    await selfSigned.getByRole('button', { name: T('monitors.delete_named', { endpoint: bad }) }).click();
    const confirm = page.getByRole('dialog', { name: T('monitors.delete_title', { endpoint: bad }) });
    await confirm.getByRole('button', { name: T('monitors.delete_submit'), exact: true }).click();
    await page.locator('#monitors-notice').getByText(T('monitors.deleted', { endpoint: bad })).waitFor();
    await until(async () => (await selfSigned.count()) === 0, { what: 'the deleted monitor to leave the list' });
  }

  // 5. The overview's numbers are the API's; "monitors in trouble" opens them.
  await nav(page, T('nav.overview')).click();
  await heading(page, T('overview.title'));
  const expected = await apiCounts(page);
  assert(expected['stat-monitors-trouble'] === (lang === 'en' ? 1 : 2), 'monitors in trouble: ' + JSON.stringify(expected));
  assert(expected['stat-active'] >= 2, 'the buyer has two active certificates at least: ' + JSON.stringify(expected));
  for (const [id, n] of Object.entries(expected)) {
    await until(async () => (await page.locator(`#${id} .stat-n`).getAttribute('data-count')) === String(n), {
      what: `the overview's ${id} to be ${n}`,
    });
  }
  await until(async () => (await page.locator('.loading').count()) === 0, { what: 'the overview to finish loading' });
  await shot(56, 'overview-dashboard');
  await noEnglish(lang, page, 'the overview with its numbers', allow);
  if (lang === 'en') await atPhoneWidth(page, shots, '56b-en-overview-phone');
  await page.locator('#stat-monitors-trouble').click();
  await heading(page, T('monitors.title'));
  assert(new URL(page.url()).searchParams.get('status') === 'trouble', 'the monitors in trouble: ' + page.url());
  await until(async () => (await page.locator('#monitor-table tbody tr').count()) === expected['stat-monitors-trouble'], { what: 'the monitors in trouble listed' });
  if (lang === 'en') {
    // And the failed deployments open the runs filtered the same way.
    await nav(page, T('nav.overview')).click();
    await page.locator('#stat-deployments-failed .stat-n[data-count]').waitFor();
    await page.locator('#stat-deployments-failed').click();
    await heading(page, T('deployments.title'));
    await until(async () => (await page.locator('.loading').count()) === 0, { what: 'the runs to load' });
    assert((await page.locator('#deployment-table tbody tr').count()) === expected['stat-deployments-failed'], 'the failed deployments listed');
    // The active certificates, the same way.
    await nav(page, T('nav.overview')).click();
    await page.locator('#stat-active .stat-n[data-count]').waitFor();
    await page.locator('#stat-active').click();
    await heading(page, T('certs.title'));
    await until(async () => (await page.locator('#cert-table tbody tr').count()) === expected['stat-active'], { what: 'the active certificates listed' });
  }
}

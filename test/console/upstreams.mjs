// Brands issued by an upstream public CA (issue 18, docs/BRANDS.md), seen by the initial
// administrator. test_console.py starts pebble as the upstream of a brand product (config.upstream:
// {product, directory}) next to the built-in catalog.
//  1. The administrator's navigation has "Upstream CAs"; the page lists pebble's directory as
//     reachable, with the brand product, Signet's account there, no EAB and no ARI; "Check
//     again" asks the server again and pebble is still reachable.
//  2. The purchase page says who issues each product: the brand "Public CA (upstream)" with the
//     directory's host, the built-in products "Signet CA".
//  3. The brand product is bought: the upstream's dns-01 challenges show as validations whose
//     TXT record names are _acme-challenge.<name> (read from the page and published, as an
//     applicant would); the order issues; the order page names the issuer, its timeline has the
//     upstream's events in words; the certificate is badged "public CA" (page and list) with
//     pebble's intermediate as its issuer.
//  4. The same pages in 中文, with no English left apart from names and values.
// Screenshots 70-77.
import { assert, englishLeaks, publishTxt, screenshot, strings, until } from './lib.mjs';

const ISSUE_TIMEOUT = 120_000;
const BRAND_NAME = 'brand.insecure.test';
const nav = (page, name) => page.getByRole('navigation', { name: /Main|主导航/ }).getByRole('link', { name, exact: true });
const heading = (page, text) => page.getByRole('heading', { level: 1, name: text }).first().waitFor();
// The brand product's name is the catalog's (test_console.py), not a translated one.
const ALLOW = ['Pebble'];

async function noEnglish(page, what) {
  const leaks = await englishLeaks(page, ALLOW);
  assert(!leaks.length, `no English on ${what} in 中文: ${leaks.join('; ')}`);
}

/** The Upstream CAs page: pebble's card, reachable, with the brand product. */
async function upstreamCard(page, T, config) {
  await nav(page, T('nav.upstreams')).click();
  await heading(page, T('upstreams.title'));
  const card = page.locator(`li.upstream[data-directory="${config.upstream.directory}"]`);
  await card.waitFor();
  assert((await card.getAttribute('data-status')) === 'reachable', 'pebble is reachable: ' + (await card.textContent()));
  await card.locator('.badge[data-status="reachable"]').getByText(T('upstreams.reachable'), { exact: true }).waitFor();
  assert((await card.locator('.upstream-error').count()) === 0, 'no problem shown for pebble: ' + (await card.textContent()));
  await card.locator(`[data-field="products"] li[data-product="${config.upstream.product}"]`).waitFor();
  const account = (await card.locator('[data-field="account"] code').textContent()).trim();
  assert(account.startsWith('https://127.0.0.1:'), "Signet's account at pebble is shown: " + account);
  assert((await card.locator('[data-field="eab"]').textContent()).trim() === T('common.no'), 'pebble requires no EAB here');
  assert((await card.locator('[data-field="ari"]').textContent()).trim() === T('common.no'), 'pebble offers no ARI');
  return card;
}

export async function upstreamJourney(env) {
  const { config, shots, newPage } = env;
  const T = strings('en');
  const Z = strings('zh');
  const host = new URL(config.upstream.directory).host;
  const page = await newPage('admin-upstreams');
  await page.goto(config.url + '/');
  await page.getByLabel(T('signin.email')).fill(config.initial_admin.email);
  await page.getByLabel(T('signin.password')).fill(config.initial_admin.password);
  await page.getByRole('button', { name: T('signin.submit') }).click();
  await page.getByRole('button', { name: T('nav.sign_out') }).waitFor();

  // 1. Upstream CAs, and checked again.
  const card = await upstreamCard(page, T, config);
  await screenshot(page, shots, '70-upstreams');
  const checked = page.locator('#upstreams-checked');
  const before = await checked.getAttribute('data-checked');
  await page.getByRole('button', { name: T('upstreams.check') }).click();
  await until(async () => (await checked.getAttribute('data-checked')) !== before, { what: 'the upstreams checked again' });
  await page.getByRole('button', { name: T('upstreams.check') }).waitFor();
  assert((await card.getAttribute('data-status')) === 'reachable', 'pebble still reachable when checked again');

  // 2. Who issues each product.
  await nav(page, T('nav.purchase')).click();
  await heading(page, T('purchase.title'));
  const brand = page.locator(`li[data-product="${config.upstream.product}"]`);
  const label = brand.locator('[data-issuer="upstream"]');
  await label.getByText(T('issuer.upstream'), { exact: true }).waitFor();
  assert((await label.locator('code').textContent()).trim() === host, `the brand names its CA's host ${host}`);
  await brand.locator('.upstream-hint').getByText(host).waitFor();
  await page.locator('li[data-product="dv-single"] [data-issuer="signet"]').getByText(T('issuer.signet'), { exact: true }).waitFor();
  await brand.scrollIntoViewIfNeeded();
  await screenshot(page, shots, '71-purchase-brand');

  // 3. A brand order, validated with the upstream's dns-01 challenges.
  await brand.locator('button').click();
  await heading(page, T('wizard.title'));
  await page.locator('#domain-0').fill(BRAND_NAME);
  for (const [k, v] of Object.entries({ name: 'Wang Fang', position: 'Ops lead', phone: '+86 10 5555 0199', email: 'wangfang@example.com' })) {
    await page.locator(`#admin-${k}`).fill(v);
  }
  await page.locator('#method').selectOption('dns_txt');
  await page.getByRole('button', { name: T('wizard.submit') }).click();
  await page.getByRole('heading', { name: T('dcv.title') }).waitFor({ timeout: 60_000 });
  const orderId = new URL(page.url()).pathname.split('/')[2];
  await page.locator('#order-product [data-issuer="upstream"]').getByText(T('issuer.upstream'), { exact: true }).waitFor();
  // One validation per name of the order (its authorizations at the upstream).
  const names = await page.evaluate((id) => fetch('/api/v1/orders/' + id).then((r) => r.json()).then((o) => o.names), orderId);
  const cards = page.locator('article.validation');
  await until(async () => (await cards.count()) === names.length, { what: `a validation for each of ${names.join(', ')}` });
  for (let i = 0; i < names.length; i++) {
    const v = cards.nth(i);
    const name = (await v.locator('[data-field="record_name"] code').textContent()).trim();
    const value = (await v.locator('[data-field="value"] code').textContent()).trim();
    assert(name === '_acme-challenge.' + (await v.getAttribute('data-domain')), 'the upstream\'s record name is shown as given: ' + name);
    publishTxt(config.dns, config.domain_zone, name, value);
  }
  await screenshot(page, shots, '72-brand-order-validation');
  const verify = page.getByRole('button', { name: T('dcv.verify') });
  if (await verify.isVisible()) await verify.click({ timeout: 5000 }).catch(() => undefined);
  await page.locator('div.success[role="status"]').getByText(T('order.issued_banner')).waitFor({ timeout: ISSUE_TIMEOUT });
  for (const event of ['upstream.ordered', 'upstream.challenge_answered', 'upstream.finalized']) {
    const entry = page.locator(`#timeline [data-event="${event}"]`).first();
    await entry.waitFor();
    const text = await entry.textContent();
    assert(text.includes(T('event.' + event)), `the timeline says ${event} in words: ${text}`);
  }
  await screenshot(page, shots, '73-brand-order-issued');

  await page.getByRole('link', { name: T('order.view_certificate') }).click();
  await page.locator('h1 [data-source="upstream"]').getByText(T('certs.upstream'), { exact: true }).waitFor();
  const issuer = (await page.locator('#cert-issuer code').textContent()).trim();
  assert(/pebble/i.test(issuer), "pebble's intermediate issued it: " + issuer);
  await screenshot(page, shots, '74-brand-certificate');
  const certificate = page.url();
  await nav(page, T('nav.certificates')).click();
  await page.locator('#cert-table tr', { hasText: BRAND_NAME }).locator('[data-source="upstream"]').getByText(T('certs.upstream'), { exact: true }).waitFor();
  await nav(page, T('nav.orders')).click();
  await page.locator('#order-table tr', { hasText: BRAND_NAME }).locator('[data-issuer="upstream"]').waitFor();

  // 4. In 中文.
  await page.getByLabel(T('nav.language')).selectOption('zh-CN');
  const zhCard = await upstreamCard(page, Z, config);
  await zhCard.locator('.badge[data-status="reachable"]').getByText(Z('upstreams.reachable')).waitFor();
  await screenshot(page, shots, '75-upstreams-zh');
  await noEnglish(page, 'the Upstream CAs page');
  await nav(page, Z('nav.purchase')).click();
  await heading(page, Z('purchase.title'));
  await brand.locator('[data-issuer="upstream"]').getByText(Z('issuer.upstream'), { exact: true }).waitFor();
  await screenshot(page, shots, '76-purchase-brand-zh');
  await noEnglish(page, 'the purchase page');
  await page.goto(config.url + '/orders/' + orderId);
  await page.locator('#timeline [data-event="upstream.finalized"]').getByText(Z('event.upstream.finalized')).waitFor();
  await page.locator('#order-product [data-issuer="upstream"]').getByText(Z('issuer.upstream'), { exact: true }).waitFor();
  await screenshot(page, shots, '77-brand-order-zh');
  await noEnglish(page, 'the brand order');
  await page.goto(certificate);
  await page.locator('h1 [data-source="upstream"]').getByText(Z('certs.upstream'), { exact: true }).waitFor();
  await noEnglish(page, 'the brand certificate');
  await page.context().close();
}

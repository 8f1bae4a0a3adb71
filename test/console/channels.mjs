// Notification channels in the browser, part of each buyer's journey (test/console/buyers.mjs), in
// English and in 中文 (controls found by the words of that language; in 中文 no English left on
// the screen). test_console.py plays chat robots over HTTPS on 127.0.0.1
// (test_chat_channels.RobotReceiver, its CA given to signetd as notify.ca_file): per language a
// DingTalk robot that checks its signature (加签) and a Slack webhook whose channel is archived.
// The buyer, an owner of the account:
//  1. goes through the six kinds of the form: each says what URL to paste (the vendor's own
//     shape), and DingTalk and Feishu also offer their optional signing secret (a password field);
//  2. adds the DingTalk robot with its secret (in 中文 with monitor alerts as a daily digest,
//     chosen in the form): the list shows the kind, the URL and "signed", never the secret;
//  3. sends it a test message: delivered, with the server's words shown as given (test_console.py
//     checks afterwards that the robot received it, correctly signed);
//  4. in English: adds the archived Slack channel, whose test fails with Slack's own answer shown
//     as given, and removes it; adds a webhook, whose signing secret is shown once;
//  5. switches the DingTalk channel's monitor alerts between immediate and the daily digest (in
//     English to the digest, with when the next one is due; in 中文 back to immediate), as the API
//     then has it.
import { assert, englishLeaks, screenshot, strings } from './lib.mjs';

const nav = (page, name) => page.getByRole('navigation', { name: /Main|主导航/ }).getByRole('link', { name, exact: true });
const heading = (page, text) => page.getByRole('heading', { level: 1, name: text }).first().waitFor();
const KINDS = ['email', 'webhook', 'dingtalk', 'wecom', 'feishu', 'slack'];
/** What each kind's hint shows to paste. */
const EXAMPLE = {
  email: '@example.com',
  webhook: 'https://',
  dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=',
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=',
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/',
  slack: 'https://hooks.slack.com/services/',
};
const CHANNELS = '/api/v1/notification-channels';

async function noEnglish(lang, page, what, allow) {
  if (lang !== 'zh') return;
  const leaks = await englishLeaks(page, allow);
  assert(!leaks.length, `no English on ${what} in 中文: ${leaks.join('; ')}`);
}

/** How the page names a channel in its buttons and notices: the kind and the URL's host (not the
 * token in its path or query); an email channel by its address. */
function channelName(T, channel) {
  return channel.kind === 'email' ? channel.target : T('channels.' + channel.kind) + ' ' + new URL(channel.target).host;
}

function targetLabel(T, kind) {
  if (kind === 'email') return T('channels.address');
  if (kind === 'webhook' || kind === 'slack') return T('channels.url');
  return T('channels.robot_url');
}

/** Adds a channel from the form; returns the API's answer and the request's body. */
async function addChannel(page, T, { kind, target, secret, alerts }) {
  const form = page.locator('#channel-form');
  await form.getByLabel(T('channels.kind'), { exact: true }).selectOption(kind);
  await form.getByLabel(targetLabel(T, kind), { exact: true }).fill(target);
  if (secret) await form.getByLabel(T('channels.secret'), { exact: true }).fill(secret);
  if (alerts) await form.getByLabel(T('channels.alerts'), { exact: true }).selectOption(alerts);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(CHANNELS) && r.request().method() === 'POST'),
    form.getByRole('button', { name: T('channels.add'), exact: true }).click(),
  ]);
  assert(response.status() === 201, `the ${kind} channel is added: HTTP ${response.status()} ${await response.text()}`);
  return { channel: await response.json(), sent: JSON.parse(response.request().postData()) };
}

/** "Send a test message" on a channel: the answer as the API gave it, shown with its words. */
async function sendTest(page, T, item, channel) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(CHANNELS + '/') && r.url().endsWith('/test') && r.request().method() === 'POST'),
    item.getByRole('button', { name: T('channels.test_named', { target: channelName(T, channel) }), exact: true }).click(),
  ]);
  assert(response.status() === 200, 'the test is answered: HTTP ' + response.status());
  const answer = await response.json();
  const box = item.locator(`.test-result[data-ok="${answer.ok}"]`);
  await box.getByText(T(answer.ok ? 'channels.test_ok' : 'channels.test_failed'), { exact: true }).waitFor();
  await box.getByText(T('channels.receiver_said')).waitFor();
  const words = await box.locator('code.server-words').textContent();
  assert(words === answer.detail, `the answer's detail as given: "${words}" is "${answer.detail}"`);
  return answer;
}

/** The channel's monitor alerts switched to `mode` from the list; checked against the API. */
async function switchAlerts(page, T, item, channel, mode) {
  const name = T(mode === 'daily_digest' ? 'channels.to_digest_named' : 'channels.to_immediate_named', { target: channelName(T, channel) });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(CHANNELS + '/' + channel.id) && r.request().method() === 'PATCH'),
    item.getByRole('button', { name, exact: true }).click(),
  ]);
  assert(response.status() === 200, 'the alert mode is saved: HTTP ' + response.status());
  assert(JSON.parse(response.request().postData()).monitor_alerts === mode, 'PATCH {monitor_alerts: ' + mode + '}');
  assert((await response.json()).monitor_alerts === mode, 'the answer has the new mode');
  await page.locator('#channels-notice').getByText(T(mode === 'daily_digest' ? 'channels.now_digest' : 'channels.now_immediate', { target: channelName(T, channel) })).waitFor();
  await item.locator(`.channel-alerts strong[data-alerts="${mode}"]`).getByText(T('channels.alerts.' + mode), { exact: true }).waitFor();
  const listed = await page.evaluate((path) => fetch(path).then((r) => r.json()), CHANNELS);
  const now = listed.items.find((c) => c.id === channel.id);
  assert(now && now.monitor_alerts === mode, 'the API lists the channel with ' + mode + ': ' + JSON.stringify(now));
  if (mode === 'daily_digest') await nextDigest(item, now);
  else assert((await item.locator('.next-digest').count()) === 0, 'no digest due for an immediate channel');
}

/** A digest channel says when its next digest is due, as the API has it. */
async function nextDigest(item, channel) {
  assert(channel.next_digest_at, 'a digest channel has next_digest_at: ' + JSON.stringify(channel));
  await item.locator(`.next-digest time[datetime="${channel.next_digest_at}"]`).waitFor();
}

export async function channelsJourney(env, lang, page, allow = []) {
  const { config, shots } = env;
  const T = strings(lang);
  const robots = config.robots[lang];
  const shot = (n, name) => screenshot(page, shots, `${n}-${lang}-${name}`);

  await nav(page, T('nav.notifications')).click();
  await heading(page, T('channels.title'));
  await page.locator('#channels-empty').getByText(T('channels.none')).waitFor();

  // 1. Each kind says what to paste; DingTalk and Feishu take a signing secret.
  const form = page.locator('#channel-form');
  for (const kind of KINDS) {
    await form.getByLabel(T('channels.kind'), { exact: true }).selectOption(kind);
    const hint = form.locator(`#channel-target-hint[data-kind="${kind}"]`);
    await hint.waitFor();
    const example = (await hint.locator('code.example').textContent()) || '';
    assert(example.includes(EXAMPLE[kind]), `the ${kind} hint shows ${EXAMPLE[kind]}: ${example}`);
    const target = form.getByLabel(targetLabel(T, kind), { exact: true });
    assert((await target.getAttribute('type')) === (kind === 'email' ? 'email' : 'url'), `the ${kind} target's input type`);
    const secret = form.getByLabel(T('channels.secret'), { exact: true });
    const signs = kind === 'dingtalk' || kind === 'feishu';
    assert((await secret.count()) === (signs ? 1 : 0), `a signing secret field for ${kind}: ${signs}`);
    if (signs) assert((await secret.getAttribute('type')) === 'password', 'the secret is typed unseen');
    if (kind === 'dingtalk') await shot(60, 'channel-form-dingtalk');
    // Slack is a name (like Nginx or Webhook), kept as it is in Chinese.
    await noEnglish(lang, page, `the form for a ${kind} channel`, kind === 'slack' ? [...allow, 'Slack'] : allow);
  }

  // 2. The DingTalk robot with its signing secret (in 中文 with the daily digest).
  const alerts = lang === 'zh' ? 'daily_digest' : undefined;
  const { channel: ding, sent } = await addChannel(page, T, { kind: 'dingtalk', target: robots.dingtalk, secret: robots.dingtalk_secret, alerts });
  assert(sent.secret === robots.dingtalk_secret && sent.monitor_alerts === (alerts || 'immediate'), 'the secret and the alert mode sent: ' + JSON.stringify(Object.keys(sent)));
  assert(ding.kind === 'dingtalk' && ding.target === robots.dingtalk && ding.has_secret === true && !('secret' in ding), 'the channel, signed, its secret not returned: ' + JSON.stringify(ding));
  assert(ding.monitor_alerts === (alerts || 'immediate'), 'the alert mode as chosen: ' + JSON.stringify(ding));
  await page.locator('#channels-notice').getByText(T('channels.added')).waitFor();
  const item = page.locator(`#channel-list li.channel[data-id="${ding.id}"]`);
  await item.locator('.badge[data-kind="dingtalk"]').getByText(T('channels.dingtalk'), { exact: true }).waitFor();
  await item.locator('[data-field="signed"]').getByText(T('channels.signed'), { exact: true }).waitFor();
  await item.locator('code.channel-target').getByText(robots.dingtalk, { exact: true }).waitFor();
  const mode = ding.monitor_alerts;
  await item.locator(`.channel-alerts strong[data-alerts="${mode}"]`).getByText(T('channels.alerts.' + mode), { exact: true }).waitFor();
  if (mode === 'daily_digest') await nextDigest(item, ding);
  assert(!(await page.locator('main').textContent()).includes(robots.dingtalk_secret), 'the secret is not shown');
  assert((await form.getByLabel(T('channels.secret'), { exact: true }).inputValue()) === '', 'the secret field is emptied');

  // 3. A test message, delivered.
  const ok = await sendTest(page, T, item, ding);
  assert(ok.ok === true, 'the DingTalk robot accepted the test message: ' + JSON.stringify(ok));
  await shot(61, 'channel-test-ok');
  await noEnglish(lang, page, 'the channel list with a delivered test', allow);

  if (lang === 'en') {
    // 4. A Slack channel that is archived: Slack's refusal, as Slack said it; then removed.
    const { channel: slack } = await addChannel(page, T, { kind: 'slack', target: robots.slack_gone });
    assert(slack.has_secret === false, 'a Slack webhook is not signed: ' + JSON.stringify(slack));
    const slackItem = page.locator(`#channel-list li.channel[data-id="${slack.id}"]`);
    assert((await slackItem.locator('[data-field="signed"]').count()) === 0, 'nor shown as signed');
    const failed = await sendTest(page, T, slackItem, slack);
    assert(failed.ok === false && failed.detail.includes('channel_is_archived'), "Slack's answer in the detail: " + JSON.stringify(failed));
    await shot(62, 'channel-test-failed');
    await slackItem.getByRole('button', { name: T('action.delete_what', { what: channelName(T, slack) }), exact: true }).click();
    await page.locator('#channels-notice').getByText(T('channels.deleted')).waitFor();
    await slackItem.waitFor({ state: 'detached' });

    // A webhook: its signing secret, made by Signet, shown once.
    const { channel: hook } = await addChannel(page, T, { kind: 'webhook', target: 'https://hooks.example.com/signet-' + lang });
    assert(typeof hook.secret === 'string' && hook.secret.length >= 20 && hook.has_secret, 'a webhook gets a secret: ' + JSON.stringify(hook));
    const secretBox = page.locator('#channel-secret');
    assert((await secretBox.locator('code[data-field="secret"]').textContent()) === hook.secret, 'the secret shown is the one made');
    await shot(63, 'channel-webhook-secret');
    await secretBox.getByRole('button', { name: T('channels.secret_done'), exact: true }).click();
    await secretBox.waitFor({ state: 'detached' });
    await page.locator(`#channel-list li.channel[data-id="${hook.id}"] [data-field="signed"]`).waitFor();
    assert(!(await page.locator('main').textContent()).includes(hook.secret), 'the secret is not shown again');
  }

  // 5. Monitor alerts: a daily digest, or one message each time.
  await switchAlerts(page, T, item, ding, mode === 'immediate' ? 'daily_digest' : 'immediate');
  await shot(64, 'channel-alert-mode');
  await noEnglish(lang, page, 'the channel list with its alert mode switched', allow);
}

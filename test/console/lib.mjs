// Helpers for the console's browser test: Chromium through playwright-core (installed with the
// console's npm packages), polling waits, a collector of browser console errors, DNS
// publishing with knsupdate (what an applicant does at their DNS provider), and reading the
// emails the server sent (decoded into a directory by test_console.py's Mailbox).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(new URL('../../console/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

export function assert(condition, message) {
  if (!condition) throw new Error('assertion failed: ' + message);
}

/** Polls f() until it returns a truthy value; f may throw while not ready. */
export async function until(f, { timeout = 30_000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ': ' + last.message : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Every console error and uncaught page error of a page. Chromium reports each HTTP error
 * response as a console error ("Failed to load resource"); those are accepted only for
 * responses listed in `expected` (method + path prefix + status), which the test expects the
 * console to show as a problem document.
 */
export class ErrorCollector {
  constructor(expected = []) {
    this.errors = [];
    this.expected = expected;
    this.expectedUrls = new Set();
  }

  attach(page, name) {
    page.on('response', (r) => {
      const url = new URL(r.url());
      const expected = this.expected.some(
        (e) =>
          e.status === r.status() &&
          url.pathname.startsWith(e.path) &&
          (!e.suffix || url.pathname.endsWith(e.suffix)) &&
          (!e.method || e.method === r.request().method()),
      );
      if (r.status() >= 400 && expected) {
        this.expectedUrls.add(r.url());
      }
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location()?.url || '';
      if (msg.text().startsWith('Failed to load resource') && this.expectedUrls.has(where)) return;
      this.errors.push(`[${name}] console: ${msg.text()} ${where}`);
    });
    page.on('pageerror', (e) => this.errors.push(`[${name}] page error: ${e.message}`));
    return page;
  }
}

export function publishTxt(dns, zone, name, value) {
  const script = [
    `server ${dns.server} ${dns.port}`,
    `zone ${zone}.`,
    `update delete ${name}. TXT`,
    `update add ${name}. 60 TXT "${value}"`,
    'send',
    '',
  ].join('\n');
  execFileSync('knsupdate', ['-y', dns.key], { input: script, stdio: ['pipe', 'inherit', 'inherit'] });
}

export async function screenshot(page, dir, name) {
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name + '.png'), fullPage: true });
}

/** Every email received so far, oldest first: {to, subject, text} (see Mailbox in
 * test_console.py, which writes each as NNNN.json once complete). */
export function mails(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** The first email (oldest first) for which predicate(mail, index) is true, waiting for one. */
export async function waitForMail(dir, predicate, what = 'an email') {
  return until(() => mails(dir).find(predicate), { timeout: 30_000, interval: 200, what });
}

/**
 * The link of an email to a console page that takes a token in the fragment (`/invitation#…`,
 * `/reset-password#…`), on the server the browser talks to (the email's link names the server's
 * public_url, which is the same server here).
 */
export function fragmentLink(mail, baseUrl, page) {
  const m = new RegExp('https://\\S+/' + page + '#[A-Za-z0-9_-]+').exec(mail.text);
  assert(m, `a /${page} link in the email:\n` + mail.text);
  const link = new URL(m[0]);
  return baseUrl + link.pathname + link.hash;
}

/** The invitation link of an email. */
export const invitationLink = (mail, baseUrl) => fragmentLink(mail, baseUrl, 'invitation');

/** The password reset link of an email. */
export const resetLink = (mail, baseUrl) => fragmentLink(mail, baseUrl, 'reset-password');

/**
 * The console's own strings for a language ('en' or 'zh'), read from console/src/i18n, with
 * {placeholders} filled: T('cert.reissue'), T('reissue.revoke_hours', {hours: 48}). The test finds
 * controls by the words a reader sees in that language.
 */
export function strings(lang) {
  // Each language's table and its delivery part (en.ts + en_delivery.ts, zh.ts + zh_delivery.ts).
  const base = lang === 'zh' ? 'zh' : 'en';
  const text = [base, `${base}_delivery`]
    .map((name) => fs.readFileSync(new URL(`../../console/src/i18n/${name}.ts`, import.meta.url), 'utf8'))
    .join('\n');
  const table = {};
  for (const m of text.matchAll(/^\s*'([^']+)':\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"),?\s*$/gm)) {
    table[m[1]] = (m[2] ?? m[3]).replace(/\\(.)/g, '$1');
  }
  return (key, vars = {}) => {
    assert(key in table, `the ${lang} strings have ${key}`);
    let s = table[key];
    for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
    return s;
  };
}

/** Words that may appear in Latin letters on a Chinese page: names of things and values. */
const LATIN_ALLOWED = new Set([
  'Signet', 'DV', 'OV', 'EV', 'SSL', 'TLS', 'CSV', 'zip', 'PEM', 'CSR', 'TXT', 'CNAME', 'DNS', 'ECDSA', 'RSA',
  'CA', 'CAA', 'URL', 'API', 'ACME', 'EAB', 'HMAC', 'IIS', 'Nginx', 'Apache', 'Tomcat', 'PKCS', 'JKS', 'DER',
  'ISO', 'JPG', 'PNG', 'PDF', 'OCSP', 'CRL', 'SHA', 'KB', 'P256', 'P384', 'CN',
  'SSH', 'OpenSSH', 'HTTPS', 'Webhook', 'JSON', 'Java', 'SNI', 'STARTTLS', 'SMTP', 'IMAP', 'POP', 'IP', 'Slack',
]);

/**
 * Latin-letter words in the visible text of the page's main content and open dialog, apart from
 * values (code, inputs, emails, domain names, ids, serials) and the names above: on a Chinese
 * page these are untranslated English. `allow` adds names (an account's, a person's).
 */
export async function englishLeaks(page, allow = []) {
  const texts = await page.evaluate(() => {
    const roots = [document.querySelector('main'), ...document.querySelectorAll('[role="dialog"]')].filter(Boolean);
    const out = [];
    const skip = (el) => el.closest('code, pre, script, style, select, textarea, input, .copyable, time');
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || skip(el)) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.sr-only') || !el.getClientRects().length) continue;
        if (n.textContent.trim()) out.push(n.textContent.trim());
      }
      // Accessible names a screen reader says in Chinese too.
      for (const el of root.querySelectorAll('[aria-label]')) out.push(el.getAttribute('aria-label'));
    }
    return out;
  });
  const allowed = new Set([...LATIN_ALLOWED, ...allow]);
  const leaks = [];
  for (const text of texts) {
    const rest = text
      .replace(/\S+@\S+/g, ' ') // emails
      .replace(/\b[\w*-]+(\.[\w-]+)+\b/g, ' ') // domain names, file names
      .replace(/\b[a-z]+_[A-Za-z0-9]+\b/g, ' ') // ids (ord_…, member_…)
      .replace(/\b[0-9a-f]{8,}\b/gi, ' '); // serials, values
    for (const word of rest.match(/[A-Za-z][A-Za-z-]*[A-Za-z]/g) || []) {
      if (!allowed.has(word)) leaks.push(`${word} (in "${text}")`);
    }
  }
  return leaks;
}

/** Writes `request` (a JSON document) into test_console.py's control directory as NAME.json and
 * waits for its answer, ANSWER.json (see ServerControl and SiteControl there); fails with the
 * answer's `error`. */
async function askControl(controlDir, name, answerName, request, what, timeout = 60_000) {
  const done = path.join(controlDir, answerName + '.json');
  if (fs.existsSync(done)) fs.rmSync(done);
  const file = path.join(controlDir, name + '.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify(request));
  fs.renameSync(file + '.tmp', file);
  const answer = await until(() => fs.existsSync(done) && JSON.parse(fs.readFileSync(done, 'utf8')), {
    timeout,
    interval: 200,
    what,
  });
  fs.rmSync(done);
  assert(!answer.error, what + ': ' + answer.error);
  return answer;
}

/** Asks test_console.py to restart signetd with its clock moved forward (see ServerControl). */
export async function moveClock(controlDir, offsetSeconds) {
  const answer = await askControl(controlDir, 'restart', 'restarted', { offset_seconds: offsetSeconds }, 'signetd to restart with its clock moved');
  return answer.url;
}

/** Asks test_console.py to have one of its nginx sites serve `fullchain` with `key` (see
 * SiteControl): what an administrator does by hand. Answers once nginx serves it. */
export async function installOnSite(controlDir, { site, fullchain, key, serverName }) {
  await askControl(controlDir, 'install', 'installed', { site, fullchain, key, server_name: serverName }, `nginx site ${site} to serve the new files`);
}

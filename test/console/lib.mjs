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
 * The invitation link of an email, on the server the browser talks to (the email's link names
 * the server's public_url, which is the same server here).
 */
export function invitationLink(mail, baseUrl) {
  const m = /https:\/\/\S+\/invitation#[A-Za-z0-9_-]+/.exec(mail.text);
  assert(m, 'an invitation link in the email:\n' + mail.text);
  const link = new URL(m[0]);
  return baseUrl + link.pathname + link.hash;
}

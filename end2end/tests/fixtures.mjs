// Shared checks for every page a test visits: no console errors, axe-core clean (WCAG 2.1
// A/AA), and — with JavaScript on — hydration finished before anything is clicked.
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const test = base.extend({
  // Console errors of the test's pages; a test that expects an error status says so with
  // `consoleErrors.allowStatus(404)` (the browser logs the failed document load).
  consoleErrors: async ({ page, baseURL }, use) => {
    const errors = [];
    const allowed = [];
    errors.allowStatus = (status) => allowed.push(`status of ${status}`);
    page.on('console', (msg) => {
      // Another site's pages (the identity service's) are not ours to judge.
      if (baseURL && !page.url().startsWith(baseURL)) return;
      if (msg.type() === 'error' && !allowed.some((a) => msg.text().includes(a))) errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    // Every page must carry its own CSP with the hydration script's nonce. allHeaders(): the
    // plain headers() are Chromium's provisional ones when its extra-info event comes late
    // (under load), and those can lack the CSP the server sent.
    const checks = [];
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'document' || r.status() >= 300) return;
      // Another site's pages (the identity service's) carry their own policy.
      if (baseURL && !r.url().startsWith(baseURL)) return;
      checks.push(r.allHeaders().then((h) => {
        const csp = h['content-security-policy'] || '';
        if (!csp.includes('nonce-')) errors.push(`page without its CSP: ${r.url()} ${r.status()} ${JSON.stringify(h)}`);
      }, () => {}));
    });
    await use(errors);
    await Promise.all(checks);
    expect([...errors], 'console errors').toEqual([]);
  },
});

export { expect };

/**
 * A test whose days pass: its own `peixun serve --demo` on a throwaway database, reading the
 * time from a file the test writes (`clock.travelTo('2027-04-08')`), so a class can start and
 * end while the shared server's clock stays put. Pages go to this server (`baseURL`).
 */
export const travelling = test.extend({
  clock: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peixun-travel-'));
    const file = path.join(dir, 'clock');
    const travelTo = (day) => fs.writeFileSync(file, `${day}T10:00:00+08:00`);
    // The demo moves its classes on at start so they are open "today": the tests' days are
    // those of the catalogue as shipped, so the server starts on a day of theirs.
    travelTo('2026-12-01');
    const child = spawn('../target/release/peixun', [
      'serve', '--demo', '--addr', '127.0.0.1:0', '--database-url', `sqlite://${dir}/travel.db`,
      '--site-root', '../target/site', '--clock-file', file,
      '--sms-gateway', `${GATEWAY}/texts`, '--codes-per-address-per-hour', '100000',
    ], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', PEIXUN_LOG: 'info' } });
    const url = await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`no server: ${seen}`)), 60_000);
      child.stderr.on('data', (chunk) => {
        seen += chunk;
        const found = /listening on (http:\/\/\S+)/.exec(seen);
        if (found) { clearTimeout(timer); resolve(found[1]); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${seen}`)); });
    });
    child.stderr.resume();
    await use({ url, travelTo });
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  },
  baseURL: async ({ clock }, use) => use(clock.url),
});

export function jsEnabled(testInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Opens a page and, with JavaScript on, waits until its islands are hydrated. */
export async function visit(page, url, testInfo, { status = 200 } = {}) {
  const response = await page.goto(url);
  expect(response.status(), `status of ${url}`).toBe(status);
  if (jsEnabled(testInfo)) {
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  }
  await expectAccessible(page);
  return response;
}

/**
 * axe-core on the page as the visitor sees it. axe needs script, so a page shown with
 * JavaScript off is checked in a second, script-enabled page that loads the same URL with the
 * same cookies but without the app's own JS and WASM: the same server-rendered HTML.
 */
export async function expectAccessible(page) {
  const browser = page.context().browser();
  if (jsEnabled(test.info())) return axe(page);
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
    locale: 'zh-CN',
    storageState: await page.context().storageState(),
  });
  try {
    await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    const twin = await context.newPage();
    await twin.goto(page.url());
    await axe(twin);
  } finally {
    await context.close();
  }
}

async function axe(page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, 'axe violations').toEqual([]);
}

/** A valid identity number from its first 17 digits (GB 11643 check character). */
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const c = '10X98765432';
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + c[sum % 11];
}

/** A phone number of its own for each test run, project and prefix, so runs never collide. */
export function phoneFor(testInfo, prefix = '135') {
  const projects = { 'phone-js': 1, 'phone-nojs': 2, 'desktop-js': 3 };
  const n = (Date.now() % 100000) * 1000 + (testInfo.workerIndex % 100) * 10 + (projects[testInfo.project.name] ?? 0);
  return `${prefix}${String(n).padStart(8, '0').slice(-8)}`;
}

/**
 * An identity number of its own for a phone number from `phoneFor`: the phone's last seven
 * digits pick the district, the birth date (1975–1999) and the sequence number, one-to-one.
 */
export function idNumberFor(phone) {
  const n = Number(phone.slice(-7));
  const days = n % 9000;
  const rest = Math.floor(n / 9000);
  const region = ['510104', '510105', '510106', '510107', '510108'][rest % 5];
  const seq = String(Math.floor(rest / 5) % 1000).padStart(3, '0');
  const birth = new Date(Date.UTC(1975, 0, 1) + days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  return idNumber(`${region}${birth}${seq}`);
}

/** The stand-in SMS gateway (texts-gateway.mjs) every server of the run texts. */
export const GATEWAY = `http://127.0.0.1:${process.env.PEIXUN_E2E_GATEWAY_PORT || 3919}`;

/** The texts the gateway took for `phone`, oldest first. */
export async function textsTo(phone) {
  const r = await fetch(`${GATEWAY}/texts?phone=${encodeURIComponent(phone)}`);
  return r.json();
}

/** The code of the first text to `phone` after its first `seen` texts (waits for it). */
export async function textedCode(phone, seen) {
  for (let i = 0; i < 150; i += 1) {
    const texts = await textsTo(phone);
    if (texts.length > seen) {
      const code = texts[texts.length - 1].params?.code;
      if (!code) throw new Error(`the text to ${phone} carries no code: ${JSON.stringify(texts.at(-1))}`);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no code was texted to ${phone}`);
}

/** The code of the text to `phone` whose reference is `ref` (waits for it). */
export async function codeWithRef(phone, ref) {
  for (let i = 0; i < 150; i += 1) {
    const text = (await textsTo(phone)).find((t) => t.params?.ref === ref);
    if (text) return text.params.code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no text ${ref} to ${phone}`);
}

/**
 * The first step of signing up: the phone on /register, "获取验证码", and the code the phone
 * received typed into the second step's form (which the page then shows).
 */
export async function codeForSignUp(page, testInfo, phone) {
  await visit(page, '/register', testInfo);
  const seen = (await textsTo(phone)).length;
  await page.getByLabel('手机号码').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('status')).toContainText('验证码已发送');
  await page.getByLabel('短信验证码').fill(await textedCode(phone, seen));
}

/** Signs a trainee up through the sign-up page (both steps) and lands on 我的. */
export async function signUpAs(page, testInfo, { phone, name, id, password }) {
  await codeForSignUp(page, testInfo, phone);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('身份证号').fill(id);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page).toHaveURL(/\/me$/);
}

/**
 * Signs in through the sign-in page; staff then type the code texted to their phone on the
 * second step's page, as they would.
 */
export async function signIn(page, testInfo, phone, password) {
  await visit(page, '/login', testInfo);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  if (new URL(page.url()).pathname === '/login/verify') {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录验证');
    if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    // Other tests sign the same demo staff in at the same time: the page names its text.
    const ref = (await page.locator('#sms-ref').textContent()).trim();
    await page.getByLabel('短信验证码').fill(await codeWithRef(phone, ref));
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname !== '/login/verify');
  }
}

/** Opens the header's menu where it is folded (phones); on a wide screen its links are in line. */
export async function openMenu(page) {
  const menu = page.locator('details.nav-more');
  const summary = menu.locator('summary');
  if ((await summary.isVisible()) && !(await menu.evaluate((d) => d.open))) await summary.click();
}

/** Unfolds the catalogue's filters where they are folded behind 筛选（N） (phones). */
export async function openFilters(page) {
  const panel = page.locator('details.filter-panel');
  const summary = panel.locator('summary');
  if ((await summary.isVisible()) && !(await panel.evaluate((d) => d.open))) await summary.click();
}

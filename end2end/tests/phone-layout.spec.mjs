// What a phone shows (issue 18): at 375 × 812 and 320 × 640, signed out and signed in, with
// JavaScript on and off, and in elder mode — no sideways scrolling, no label broken inside a
// word, the catalogue's first result and a course's verdict and enrol control on the first
// screen. Each page is checked with axe (visit). Screenshots of what a signed-in trainee sees
// at 375 px go to target/phone-screens/ (README, "What a phone shows").
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, visit, jsEnabled, signIn } from './fixtures.mjs';

const SIZES = [
  { width: 375, height: 812 },
  { width: 320, height: 640 },
];
const SCREENS = path.resolve('..', 'target', 'phone-screens');

/** Layout faults a visitor would see on the page as it is now. */
async function layoutFaults(page) {
  return page.evaluate(() => {
    const faults = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) {
      faults.push(`scrolls sideways: ${root.scrollWidth} px wide in ${window.innerWidth}`);
    }
    // A link, button or menu label of one word (no spaces: a Chinese label is one word) is on
    // one line: "首/页" one character a line is the fault this finds.
    for (const el of document.querySelectorAll('a, button, summary')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const text = el.innerText.trim();
      if (!text || /\s/.test(text) || [...text].length > 12) continue;
      const range = document.createRange();
      range.selectNodeContents(el);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0).sort((a, b) => a.top - b.top);
      let lines = 0;
      let bottom = -Infinity;
      for (const r of rects) {
        if (r.top >= bottom - 2) lines += 1;
        bottom = Math.max(bottom, r.bottom);
      }
      if (lines > 1) faults.push(`"${text}" breaks over ${lines} lines`);
    }
    return faults;
  });
}

/** Whether the element's box ends within the first screen (the page scrolled to its top). */
async function onFirstScreen(page, locator) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await locator.boundingBox();
  const height = page.viewportSize().height;
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}

async function checkPages(page, testInfo, paths, check = async () => {}) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const url of paths) {
      await visit(page, url, testInfo);
      expect(await layoutFaults(page), `${url} at ${size.width} × ${size.height}`).toEqual([]);
      await check(url, size);
    }
  }
}

test.beforeEach(async ({}, testInfo) => {
  test.skip(!testInfo.project.use.isMobile, 'phone sizes only');
});

test('signed out: every page fits a phone, and what matters is on the first screen', async ({ page, consoleErrors }, testInfo) => {
  await checkPages(page, testInfo, ['/', '/courses', '/courses?city=510100&free=true', '/courses/CD-2026-0010', '/eligibility', '/login', '/register', '/institutions', '/evaluation-orgs'], async (url, size) => {
    if (url.startsWith('/courses?') || url === '/courses') {
      const first = page.locator('.course-list .course-card h3').first();
      expect(await onFirstScreen(page, first), `first result of ${url} at ${size.width}`).toBe(true);
    }
    if (url === '/courses/CD-2026-0010') {
      const enrol = page.getByRole('link', { name: '登录后报名' });
      expect(await onFirstScreen(page, enrol), `登录后报名 at ${size.width}`).toBe(true);
    }
  });
  // The header's menu opens without JS and its links fit too.
  await page.setViewportSize(SIZES[1]);
  await visit(page, '/', testInfo);
  await page.locator('details.nav-more summary').click();
  await expect(page.getByRole('link', { name: '注册' })).toBeVisible();
  expect(await layoutFaults(page)).toEqual([]);
  // Printed, a course page is its content: every detail unfolded, no header links or buttons.
  await visit(page, '/courses/CD-2026-0010', testInfo);
  await expect(page.locator('dt', { hasText: '项目编号' })).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('dt', { hasText: '项目编号' })).toBeVisible();
  await expect(page.getByRole('link', { name: '登录后报名' })).toBeHidden();
  await expect(page.locator('details.nav-more')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  // So do the folded filters.
  await visit(page, '/courses', testInfo);
  await page.getByText('筛选（0）').click();
  await expect(page.getByLabel('培训等级')).toBeVisible();
  expect(await layoutFaults(page)).toEqual([]);
});

test('signed in: the header, my pages and a course page fit a phone', async ({ page, consoleErrors }, testInfo) => {
  await signIn(page, testInfo, '13900000001', 'peixun-demo-2026');
  await checkPages(page, testInfo, ['/', '/courses', '/courses/CD-2026-0010', '/me', '/me/enrollments', '/me/inbox', '/me/certificates', '/me/subsidies'], async (url, size) => {
    if (url === '/courses') {
      const first = page.locator('.course-list .course-card h3').first();
      expect(await onFirstScreen(page, first), `first result at ${size.width}`).toBe(true);
    }
    if (url === '/courses/CD-2026-0010') {
      const panel = page.getByRole('region', { name: '我能报名吗' });
      const verdict = panel.locator('.verdict-summary, .notice').first();
      expect(await onFirstScreen(page, verdict), `the verdict at ${size.width}`).toBe(true);
      const button = panel.getByRole('button');
      if ((await button.count()) > 0) {
        expect(await onFirstScreen(page, button.first()), `the enrol button at ${size.width}`).toBe(true);
      }
    }
    // The links used most stay in view: my enrolments and the messages with their count.
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的报名' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /^消息/ })).toBeVisible();
    if (size.width === 375 && jsEnabled(testInfo)) {
      const name = { '/': 'home', '/courses': 'catalogue', '/courses/CD-2026-0010': 'course', '/me/enrollments': 'my-enrolments' }[url];
      if (name) {
        fs.mkdirSync(SCREENS, { recursive: true });
        await page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
      }
    }
  });
});

test('elder mode: large text and targets still fit a 320 px phone', async ({ page, context, baseURL, consoleErrors }, testInfo) => {
  await context.addCookies([{ name: 'peixun_elder', value: '1', url: baseURL }]);
  await page.setViewportSize(SIZES[1]);
  for (const url of ['/', '/courses', '/courses/CD-2026-0010', '/institutions']) {
    await visit(page, url, testInfo);
    await expect(page.locator('html')).toHaveClass(/elder/);
    expect(await layoutFaults(page), url).toEqual([]);
    const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(18);
  }
  const summary = page.locator('details.nav-more summary');
  expect((await summary.boundingBox()).height).toBeGreaterThanOrEqual(60);
});

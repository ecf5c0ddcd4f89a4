// Shared checks for every page a test visits: no console errors, axe-core clean (WCAG 2.1
// A/AA), and — with JavaScript on — hydration finished before anything is clicked.
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const test = base.extend({
  // Console errors of the test's pages; a test that expects an error status says so with
  // `consoleErrors.allowStatus(404)` (the browser logs the failed document load).
  consoleErrors: async ({ page }, use) => {
    const errors = [];
    const allowed = [];
    errors.allowStatus = (status) => allowed.push(`status of ${status}`);
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !allowed.some((a) => msg.text().includes(a))) errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    await use(errors);
    expect([...errors], 'console errors').toEqual([]);
  },
});

export { expect };

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

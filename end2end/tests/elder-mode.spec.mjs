import { test, expect, visit, jsEnabled, expectAccessible } from './fixtures.mjs';

test('elder mode switches in place once hydrated, and the server remembers it', async ({ page, consoleErrors }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'needs JavaScript');
  await visit(page, '/courses', testInfo);
  const html = page.locator('html');
  await expect(html).not.toHaveClass(/elder/);
  // A marker on the window survives only if the page is not reloaded.
  await page.evaluate(() => { window.__noReload = true; });
  const toggle = page.getByRole('button', { name: '长辈模式' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(html).toHaveClass(/elder/);
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
  const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(fontSize).toBeGreaterThanOrEqual(18);
  const height = await toggle.evaluate((b) => b.getBoundingClientRect().height);
  expect(height).toBeGreaterThanOrEqual(60);
  await expectAccessible(page);

  await page.reload();
  await expect(html).toHaveClass(/elder/);
  await page.getByRole('button', { name: '长辈模式' }).click();
  await expect(html).not.toHaveClass(/elder/);
});

test('elder mode works without JavaScript through the form', async ({ page, consoleErrors }, testInfo) => {
  test.skip(jsEnabled(testInfo), 'the no-JS path');
  await visit(page, '/courses?city=510700', testInfo);
  await page.getByRole('button', { name: '长辈模式' }).click();
  await expect(page).toHaveURL(/\/courses\?city=510700$/);
  await expect(page.locator('html')).toHaveClass(/elder/);
  await expect(page.getByRole('button', { name: '长辈模式' })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(page);
});

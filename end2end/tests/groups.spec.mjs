// Verified groups: a trainee declares a group with its document, the city and the separate
// consent on 我的; the city's HR officer verifies it on /staff/groups; the trainee sees it
// count. On a phone with and without JS and on a desktop, each page checked with axe.
import { test, expect, visit, jsEnabled, expectAccessible, idNumberFor, phoneFor, signIn, signUpAs, openMenu } from './fixtures.mjs';

const PASSWORD = '我的 培训 密码 2026';
const DEMO = 'peixun-demo-2026';
const PREFIX = { 'phone-js': '甲', 'phone-nojs': '乙', 'desktop-js': '丙' };

test('a declared group counts once the city verifies it', async ({ page, consoleErrors }, testInfo) => {
  // The refused save answers 400, which the browser logs.
  consoleErrors.allowStatus(400);
  const name = `${PREFIX[testInfo.project.name] ?? '丁'}核验学员`;
  const phone = phoneFor(testInfo, '136');
  await signUpAs(page, testInfo, { phone, name, id: idNumberFor(phone), password: PASSWORD });

  // Without the document, the city and the consent, nothing is saved and each is said.
  await page.getByLabel('退役军人').check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  const summary = page.getByRole('alert').filter({ hasText: '请修改以下问题' });
  await expect(summary).toContainText('必填');
  await expect(summary).toContainText('请阅读并勾选同意处理敏感个人信息');
  await expect(page.getByLabel('退役军人')).toBeChecked();
  await expect(page.getByLabel('退役证编号')).toHaveAttribute('aria-invalid', 'true');
  // The refused page is the answer to a POST: without JS its twin cannot load it again, so axe
  // checks it where JS runs (the same page, the same markup).
  if (jsEnabled(testInfo)) await expectAccessible(page);

  const number = `TY-2020-${phone.slice(-6)}`;
  await page.getByLabel('退役证编号').fill(number);
  await page.getByLabel('居住地（市州）').selectOption('510100');
  await page.getByLabel('我已阅读并单独同意处理我的群体身份信息').check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page).toHaveURL(/saved=groups/);
  await expect(page.getByRole('status')).toHaveText('已保存');
  const choice = page.locator('.group-choice').filter({ hasText: '退役军人' });
  await expect(choice).toContainText('待核验');
  await expect(choice).toContainText(`****${number.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(number);
  await expectAccessible(page);
  await openMenu(page);
  await page.getByRole('button', { name: '退出' }).click();

  // Chengdu's HR officer verifies it from the header's link.
  await signIn(page, testInfo, '13900000004', DEMO);
  await openMenu(page);
  await page.getByRole('link', { name: '群体核验' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('群体身份核验');
  await expectAccessible(page);
  const row = page.getByRole('row').filter({ hasText: `${name.slice(0, 2)}***` });
  await expect(row).toContainText('退役证');
  await expect(row).not.toContainText(number);
  await row.getByRole('button', { name: '核验通过' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await visit(page, '/staff/groups?status=verified', testInfo);
  await expect(page.getByRole('row').filter({ hasText: `${name.slice(0, 2)}***` })).toContainText('已核验');
  await openMenu(page);
  await page.getByRole('button', { name: '退出' }).click();

  // The trainee sees it verified, and told in the inbox.
  await signIn(page, testInfo, phone, PASSWORD);
  await expect(page.locator('.group-choice').filter({ hasText: '退役军人' })).toContainText('已核验');
  await visit(page, '/me/inbox', testInfo);
  await expect(page.getByText('您申报的群体身份：已核验')).toBeVisible();
});

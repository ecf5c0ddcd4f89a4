import { test, travelling, expect, visit, jsEnabled, expectAccessible, idNumberFor, phoneFor, signIn, signUpAs, openMenu } from './fixtures.mjs';

const PASSWORD = '我的 培训 密码 2026';

/** Signs up a fresh trainee (born 1975–1999) through the sign-up page; returns the phone. */
async function signUp(page, testInfo) {
  const phone = phoneFor(testInfo, '136');
  await signUpAs(page, testInfo, { phone, name: '报名学员', id: idNumberFor(phone), password: PASSWORD });
  return phone;
}

test('find a course I qualify for, enrol, and follow it in 我的报名', async ({ page, consoleErrors }, testInfo) => {
  // Anyone can ask first, without an account.
  await visit(page, '/eligibility', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我能参加哪些培训');
  await page.getByLabel('出生日期').fill('1991-05-15');
  await page.getByLabel('所在城市').selectOption('510100');
  await page.getByRole('button', { name: '查看结果' }).click();
  await expect(page.getByRole('heading', { name: /个课程符合条件/ })).toBeVisible();
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
  await expect(page.getByRole('link', { name: '汽车维修工（中级）' })).toBeVisible();

  await signUp(page, testInfo);
  await visit(page, '/courses/CD-2026-0010', testInfo);
  const panel = page.getByRole('region', { name: '我能报名吗' });
  await expect(panel).toContainText(/开班时您 \d+ 岁，符合年龄要求（18–55 岁）/);
  await expect(page.getByRole('region', { name: '补贴预估' })).toContainText('取得证书并就业，可获培训补贴');
  await panel.getByRole('button', { name: '报名' }).click();

  await expect(page).toHaveURL(/\/me\/enrollments\?enrolled=approved$/);
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('status')).toHaveText('报名成功：您已被录取。');
  const card = page.getByRole('listitem').filter({ hasText: '汽车维修工（中级）' });
  await expect(card.locator('.status')).toHaveText('已录取');
  await expect(card.getByRole('list')).toContainText('已录取 · 本人');
  await expectAccessible(page);

  // The header counts the new message; the inbox shows it and clears it.
  await page.getByRole('link', { name: /消息/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('消息');
  await expect(page.getByRole('main')).toContainText('「汽车维修工（中级）」：已录取');
  await expectAccessible(page);
  await page.getByRole('button', { name: '全部标为已读' }).click();
  await expect(page.getByRole('main')).toContainText('0 条未读');

  // No certificate yet: the wallet says how one arrives.
  await openMenu(page);
  await page.getByRole('link', { name: '我的证书' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的证书');
  await expect(page.getByRole('main')).toContainText('还没有证书');
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);

  // Changed my mind: cancel before the start.
  await page.getByRole('link', { name: '我的报名' }).click();
  await page.getByRole('button', { name: '取消报名' }).click();
  await expect(page.getByRole('status')).toHaveText('已取消报名。');
  await expect(page.getByRole('listitem').filter({ hasText: '汽车维修工（中级）' }).locator('.status')).toHaveText('已取消');
  await expectAccessible(page);
});

test('a class not open to me says why and offers no button', async ({ page, consoleErrors }, testInfo) => {
  await signUp(page, testInfo);
  // CD-2026-0001 is for enterprise workers only.
  await visit(page, '/courses/CD-2026-0001', testInfo);
  const panel = page.getByRole('region', { name: '我能报名吗' });
  await expect(panel).toContainText('本班只面向企业职工');
  await expect(panel).toContainText('暂时不能报名');
  await expect(panel.getByRole('button', { name: '报名' })).toHaveCount(0);
});

travelling('the institution console: a masked roster, and moving a trainee on', async ({ page, consoleErrors, clock }, testInfo) => {
  clock.travelTo('2027-02-01');
  // A trainee enrols in a class of the demo institution (成都天府技能实训基地).
  const phone = await signUp(page, testInfo);
  await visit(page, '/courses/CD-2026-0010', testInfo);
  await page.getByRole('region', { name: '我能报名吗' }).getByRole('button', { name: '报名' }).click();
  await expect(page).toHaveURL(/enrolled=approved/);
  await openMenu(page);
  await page.getByRole('button', { name: '退出' }).click();
  // The class (from 2027-03-10) has started when the institution signs in.
  clock.travelTo('2027-03-10');

  await signIn(page, testInfo, '13900000002', 'peixun-demo-2026');
  await page.getByRole('link', { name: '班级管理' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('班级管理');
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
  await page.getByRole('link', { name: '汽车维修工（中级）' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('名单');
  await expect(page.getByText('每次查看名单都会记入审计日志')).toBeVisible();
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
  const row = page.getByRole('row').filter({ hasText: `${phone.slice(0, 3)}****${phone.slice(7)}` });
  await expect(row).toContainText('已录取');
  await expect(page.locator('main')).not.toContainText(phone);
  await row.getByLabel('改为').selectOption('in_training');
  await row.getByRole('button', { name: '更新状态' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(page.getByRole('row').filter({ hasText: `${phone.slice(0, 3)}****${phone.slice(7)}` })).toContainText('培训中');
  await expectAccessible(page);
  // Printed, the roster is a sign-in sheet: a column to sign, no forms, no header links.
  await expect(page.getByRole('columnheader', { name: '签到签名' })).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('columnheader', { name: '签到签名' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '操作' })).toBeHidden();
  await expect(page.getByRole('button', { name: '更新状态' }).first()).toBeHidden();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
});

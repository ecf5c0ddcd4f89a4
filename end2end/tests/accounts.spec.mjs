import { test, expect, visit, jsEnabled, expectAccessible, idNumber, idNumberFor, phoneFor, codeForSignUp, textsTo, textedCode, signIn, signUpAs, openMenu } from './fixtures.mjs';

test('sign up, sign out, sign in and set my groups', async ({ page, consoleErrors }, testInfo) => {
  // The refused posts answer 400 and 401, which the browser logs.
  consoleErrors.allowStatus(400);
  consoleErrors.allowStatus(401);
  const phone = phoneFor(testInfo);
  const birth = `1992${String(1 + (Date.now() % 12)).padStart(2, '0')}15`;
  const id = idNumber(`510104${birth}${String(100 + (Date.now() % 800)).slice(0, 3)}`);
  await visit(page, '/register', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('注册');
  // First the phone: a code is texted to it, and the rest of the form follows.
  await page.getByLabel('手机号码').fill('1380000');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.locator('#phone-error')).toHaveText('请输入 11 位手机号码');
  if (jsEnabled(testInfo)) await expectAccessible(page);
  await codeForSignUp(page, testInfo, phone);
  await expect(page.getByRole('status')).toContainText(`${phone.slice(0, 3)}****${phone.slice(7)}`);
  expect((await textsTo(phone)).at(-1).template).toBe('code');
  // The answer to a POST: without JS its twin cannot load it again (see expectAccessible).
  if (jsEnabled(testInfo)) await expectAccessible(page);

  // A refused sign-up keeps what was typed and puts each error by its field.
  await page.getByLabel('姓名').fill('测试学员');
  await page.getByLabel('身份证号').fill(id.slice(0, 17) + (id.endsWith('1') ? '2' : '1'));
  await page.getByLabel('密码').fill('12345678');
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page.getByRole('alert')).toContainText('请修改以下问题');
  await expect(page.getByLabel('身份证号')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#id_number-error')).toHaveText('身份证号校验码不正确，请核对');
  await expect(page.locator('#password-error')).toContainText('这个密码太常见');
  await expect(page.getByLabel('姓名')).toHaveValue('测试学员');
  await expectAccessible(page);

  await page.getByLabel('身份证号').fill(id);
  await page.getByLabel('密码').fill('我的 培训 密码 2026');
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
  await expect(page.getByText(`${phone.slice(0, 3)}****${phone.slice(7)}`, { exact: true })).toBeVisible();
  await expect(page.getByText(`5101**********${id.slice(14)}`)).toBeVisible();
  await expect(page.locator('body')).not.toContainText(id);
  await expectAccessible(page);

  await openMenu(page);
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('link', { name: '登录', exact: true })).toBeVisible();
  await visit(page, '/login', testInfo);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('密码').fill('wrong password here');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('请先登录');
  await page.getByLabel('密码').fill('我的 培训 密码 2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/me$/);

  // A group that needs no document counts as declared (groups.spec.mjs: one that needs one).
  await expect(page.getByText('退役证编号')).toBeVisible();
  await page.getByLabel('青年', { exact: true }).check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('已保存');
  await expect(page.getByLabel('青年', { exact: true })).toBeChecked();
  await expect(page.locator('.group-choice').filter({ hasText: '青年' })).toContainText('已申报（无需核验）');
  await expectAccessible(page);

  await page.getByRole('link', { name: /我的数据/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的数据');
  await expectAccessible(page);
  await page.getByLabel('密码').fill('我的 培训 密码 2026');
  await page.getByRole('button', { name: '注销我的账号' }).click();
  await expect(page).toHaveURL(/\/$/);
  await openMenu(page);
  await expect(page.getByRole('link', { name: '注册' })).toBeVisible();
});

test('signed-out visitors are sent to sign in', async ({ page, consoleErrors }, testInfo) => {
  await page.goto('/me');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
});

test('a forgotten password comes back with a texted code; 我的 changes the password and the phone', async ({ page, consoleErrors }, testInfo) => {
  const first = '我的 培训 密码 2026';
  const second = '找回以后 新的 密码 2027';
  const third = '第三个 培训 密码 2028';
  const phone = phoneFor(testInfo, '134');
  await signUpAs(page, testInfo, { phone, name: '找回学员', id: idNumberFor(phone), password: first });
  await openMenu(page);
  await page.getByRole('button', { name: '退出' }).click();

  // The sign-in page leads to a new password, with a code texted to the phone.
  await visit(page, '/login', testInfo);
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('找回密码');
  await expectAccessible(page);
  const seen = (await textsTo(phone)).length;
  await page.getByLabel('手机号码').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('status')).toContainText('验证码已发送');
  // The answer to a POST: without JS its twin cannot load it again (see expectAccessible).
  if (jsEnabled(testInfo)) await expectAccessible(page);
  await page.getByLabel('短信验证码').fill(await textedCode(phone, seen));
  await page.getByLabel('新密码').fill(second);
  await page.getByRole('button', { name: '设置新密码' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole('status')).toContainText('密码已重设');
  await expectAccessible(page);
  await signIn(page, testInfo, phone, second);
  await expect(page).toHaveURL(/\/me$/);

  // 我的: a new password (the current one first) …
  await page.getByRole('link', { name: '修改密码' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改密码');
  await expectAccessible(page);
  await page.getByLabel('当前密码').fill(second);
  await page.getByLabel('新密码').fill(third);
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page).toHaveURL(/\/me\?saved=password$/);
  await expect(page.getByRole('status')).toHaveText('密码已修改。');

  // … and a new phone, proved with the code texted to it.
  const next = phoneFor(testInfo, '133');
  await page.getByRole('link', { name: '更换手机号' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('更换手机号');
  await expectAccessible(page);
  const before = (await textsTo(next)).length;
  await page.getByLabel('新手机号码').fill(next);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('status')).toContainText('验证码已发送');
  await page.getByLabel('短信验证码').fill(await textedCode(next, before));
  await page.getByRole('button', { name: '更换手机号' }).click();
  await expect(page).toHaveURL(/\/me\?saved=phone$/);
  await expect(page.getByText(`${next.slice(0, 3)}****${next.slice(7)}`, { exact: true })).toBeVisible();
  await expectAccessible(page);
});

test('用统一身份认证登录: through the identity service\'s own pages, and back signed in', async ({ page, consoleErrors }, testInfo) => {
  // The service's development pages ask for a favicon it does not have.
  consoleErrors.allowStatus(404);
  const person = testInfo.project.name;
  const phones = { 'phone-js': '133****0001', 'phone-nojs': '133****0002', 'desktop-js': '133****0003' };
  await visit(page, '/login', testInfo);
  await page.getByRole('link', { name: '用统一身份认证登录' }).click();
  // The provider's sign-in page, then its consent page.
  await page.locator('input[name="login"]').fill(person);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
  await expect(page.getByText(phones[person] ?? '133****0001', { exact: true })).toBeVisible();
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
});

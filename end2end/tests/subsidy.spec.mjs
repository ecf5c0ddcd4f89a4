// The whole "one thing" in the browser: enrol → in training → completed (institution) → pass
// (evaluator) → certificate and ladder → claim with a payee → approve → a payment batch,
// downloaded and paid (HR officer) → revoked and recovered, with a "这不是我" dispute, each
// page checked with axe.
import fs from 'node:fs';
import { travelling, expect, visit, jsEnabled, expectAccessible, idNumberFor, phoneFor, signIn, signUpAs, openMenu } from './fixtures.mjs';

const PASSWORD = '我的 培训 密码 2026';
const DEMO = 'peixun-demo-2026';
// Masked names must tell the projects' trainees apart (they share one server).
const PREFIX = { 'phone-js': '甲', 'phone-nojs': '乙', 'desktop-js': '丙' };

async function hydrated(page, testInfo) {
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

async function signOut(page) {
  await openMenu(page);
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
}

// Its own server whose days pass: enrolment before the class's deadline, the institution's
// steps once it has ended.
travelling('from enrolment to a paid subsidy, every step seen by the trainee', async ({ page, consoleErrors, clock }, testInfo) => {
  clock.travelTo('2027-02-01');
  travelling.setTimeout(180_000);
  // The claim with a card number that is not one is refused (400) before the good one.
  consoleErrors.allowStatus(400);
  const name = `${PREFIX[testInfo.project.name] ?? '丁'}流程学员`;
  const masked = `${name.slice(0, 2)}***`;
  const phone = phoneFor(testInfo, '137');
  const maskedPhone = `${phone.slice(0, 3)}****${phone.slice(7)}`;

  // The trainee signs up and enrols.
  await signUpAs(page, testInfo, { phone, name, id: idNumberFor(phone), password: PASSWORD });
  await visit(page, '/courses/CD-2026-0010', testInfo);
  await page.getByRole('region', { name: '我能报名吗' }).getByRole('button', { name: '报名' }).click();
  await expect(page).toHaveURL(/enrolled=approved/);
  await signOut(page);
  clock.travelTo('2027-04-08');

  // The class (2027-03-10 to 2027-04-07) has ended: the institution moves them to in
  // training, then completed.
  await signIn(page, testInfo, '13900000002', DEMO);
  await visit(page, '/staff/classes/CD-2026-0010', testInfo);
  for (const [to, label] of [['in_training', '培训中'], ['completed', '已结业']]) {
    const row = page.getByRole('row').filter({ hasText: maskedPhone });
    await row.getByLabel('改为').selectOption(to);
    await row.getByRole('button', { name: '更新状态' }).click();
    await expect(page.getByRole('status')).toHaveText('已保存。');
    await expect(page.getByRole('row').filter({ hasText: maskedPhone })).toContainText(label);
  }
  await signOut(page);

  // The evaluator records a pass: the certificate is issued.
  await signIn(page, testInfo, '13900000003', DEMO);
  await page.getByRole('link', { name: '评价工作台' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('评价工作台');
  await hydrated(page, testInfo);
  await expectAccessible(page);
  const candidate = page.getByRole('listitem').filter({ hasText: masked }).filter({ hasText: '汽车维修工（中级）' });
  await candidate.getByLabel('评价结果').selectOption('true');
  await candidate.getByLabel('成绩（0–100，选填）').fill('90');
  await candidate.getByRole('button', { name: '记录结果' }).click();
  await expect(page.getByRole('status')).toHaveText('已记录通过，证书已发放。');
  await expect(page.getByRole('listitem').filter({ hasText: masked }).filter({ hasText: '汽车维修工（中级）' })).toHaveCount(0);
  await signOut(page);

  // The trainee rates the completed class (the comment goes to the institution only).
  await signIn(page, testInfo, phone, PASSWORD);
  await visit(page, '/me/enrollments', testInfo);
  const rating = page.getByRole('region', { name: '评价这个培训' });
  await rating.getByLabel('4 星').check();
  await rating.getByLabel(/意见和建议/).fill('实操课很有用');
  await rating.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存评价。');
  await expect(page.getByRole('region', { name: '评价这个培训' })).toContainText('您的评价：4 星');
  await expectAccessible(page);

  // The trainee: the certificate with the ladder, then the claim.
  await openMenu(page);
  await page.getByRole('link', { name: '我的证书' }).click();
  await hydrated(page, testInfo);
  const ladder = page.getByRole('region', { name: '技能等级阶梯（新八级工）' });
  await expect(ladder).toContainText('汽车维修工 · 已取得：中级工 · 下一级：高级工');
  await expectAccessible(page);
  const number = (await page.locator('li.certificate').filter({ hasText: '汽车维修工' })
    .locator('dd').first().textContent()).trim();
  expect(number).toMatch(/^PX2027[0-9A-Z]{11}$/);
  await page.getByRole('link', { name: '申领培训补贴' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的补贴');
  await hydrated(page, testInfo);
  const claim = page.getByRole('listitem').filter({ hasText: '汽车维修工 · 中级工' }).first();
  await expect(claim.locator('.status')).toHaveText('可申领');
  await expectAccessible(page);
  // Paid to the trainee's social-security card: a number that is not one is refused first.
  await expect(claim.getByLabel('社保卡')).toBeChecked();
  await claim.getByLabel('卡号或账号').fill('6217 0038');
  await claim.getByRole('button', { name: '申领补贴' }).click();
  await expect(page.getByRole('alert')).toContainText('账号应为 12 到 30 位数字');
  const retry = page.getByRole('listitem').filter({ hasText: '汽车维修工 · 中级工' }).first();
  await retry.getByLabel('卡号或账号').fill('6217 0038 1001 2345 678');
  await retry.getByRole('button', { name: '申领补贴' }).click();
  await expect(page.getByRole('status')).toHaveText('已提交补贴申领，请等待人社部门审核。');
  const claimed = page.locator('li.claim').filter({ hasText: '汽车维修工 · 中级工' }).first();
  await expect(claimed.locator('.status')).toHaveText('已申请');
  await expect(claimed).toContainText('补贴标准的 80%');
  await expect(claimed).toContainText('收款：社保卡 ****5678');
  await expect(page.getByRole('main')).not.toContainText('6217003810012345678');
  await expectAccessible(page);
  await signOut(page);

  // The HR officer approves it, gathers it into a payment batch, downloads the batch for
  // finance and marks it paid with finance's reference.
  await signIn(page, testInfo, '13900000004', DEMO);
  await page.getByRole('link', { name: '补贴审核' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('补贴审核');
  await hydrated(page, testInfo);
  await expectAccessible(page);
  const row = () => page.getByRole('row').filter({ hasText: masked }).filter({ hasText: '汽车维修工' });
  await row().getByRole('button', { name: '审核通过' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(row()).toContainText('审核通过');
  await page.getByRole('link', { name: '支付批次和年度预算' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('支付批次');
  await expect(page.getByRole('main')).toContainText('年度未设置预算：已批准待发放');
  await expectAccessible(page);
  await page.getByRole('button', { name: '将全部已批准的申领生成批次' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^支付批次 #\d+$/);
  await expect(page.getByRole('status')).toHaveText('已保存。');
  const item = page.getByRole('row').filter({ hasText: masked });
  await expect(item).toContainText('社保卡 ****5678');
  await expect(item).toContainText('待发放');
  await expect(page.getByRole('main')).not.toContainText('6217003810012345678');
  await expectAccessible(page);
  if (jsEnabled(testInfo)) {
    // The download for finance carries the account in full, in a spreadsheet that runs nothing.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载 CSV' }).first().click(),
    ]);
    const text = fs.readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF序号,申领编号,收款人')).toBe(true);
    expect(text).toContain(`${name},`);
    expect(text).toContain('6217003810012345678');
  }
  await page.getByLabel('付款凭证号').first().fill('CDCZ-2027-0408');
  await page.getByRole('button', { name: '登记已发放' }).first().click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(page.getByRole('row').filter({ hasText: masked })).toContainText('已发放');
  await expectAccessible(page);
  await visit(page, '/staff/subsidies', testInfo);
  await expect(row()).toContainText('已发放');
  // Each of those decisions is in the city's audit trail, with who took it.
  await openMenu(page);
  await page.getByRole('link', { name: '审计记录' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('审计记录');
  await hydrated(page, testInfo);
  await expect(page.getByRole('main')).toContainText('人社部门');
  await expect(page.getByRole('main')).toContainText('补贴申领');
  await expect(page.getByRole('main')).toContainText('approved → paid');
  await page.getByLabel('记录', { exact: true }).fill('claim:0');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page.getByRole('main')).toContainText('没有符合条件的记录。');
  await expectAccessible(page);
  await signOut(page);

  // The trainee sees it paid, with each step; the inbox told them too.
  await signIn(page, testInfo, phone, PASSWORD);
  await visit(page, '/me/subsidies', testInfo);
  const paid = page.locator('li.claim').filter({ hasText: '汽车维修工 · 中级工' }).first();
  await expect(paid.locator('.status')).toHaveText('已发放');
  await expect(paid).toContainText('已于 2027-04-08 发放，付款凭证号 CDCZ-2027-0408');
  await expect(paid.getByRole('list')).toContainText('已申请');
  await expect(paid.getByRole('list')).toContainText('审核通过');
  await visit(page, '/me/inbox', testInfo);
  await expect(page.getByRole('main')).toContainText('补贴申领「汽车维修工·中级工」：已发放');
  await expect(page.getByRole('main')).toContainText('职业技能评价「汽车维修工·中级工」：证书已发放');

  await signOut(page);

  // The evaluator finds the pass was false: the certificate is revoked, with a reason.
  await signIn(page, testInfo, '13900000003', DEMO);
  await page.getByRole('link', { name: '评价工作台' }).click();
  await page.getByRole('link', { name: '撤销或更正证书' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('撤销或更正证书');
  await expectAccessible(page);
  const revoke = page.getByRole('region', { name: '撤销证书' });
  await revoke.getByLabel('证书编号').fill(number);
  await revoke.getByRole('button', { name: '撤销证书' }).click();
  // The reason is required: the browser asks for it before anything is sent.
  await revoke.getByLabel('原因').fill('考试中替考');
  await revoke.getByRole('button', { name: '撤销证书' }).click();
  await expect(page.getByRole('status')).toHaveText('证书已撤销，持证人已收到通知。');
  await expectAccessible(page);
  await signOut(page);
  await visit(page, '/verify', testInfo);
  await page.getByLabel('证书编号').fill(number);
  await page.getByLabel('持证人姓名（全名）').fill(name);
  await page.getByRole('button', { name: '核验' }).click();
  await expect(page.getByRole('alert')).toContainText('该证书已被撤销');

  // The money paid is due back: the trainee sees it on the claim.
  await signIn(page, testInfo, phone, PASSWORD);
  await visit(page, '/me/subsidies', testInfo);
  const due = page.locator('li.claim').filter({ hasText: '汽车维修工 · 中级工' }).first();
  await expect(due).toContainText('证书已撤销：考试中替考');
  await expect(due).toContainText('待退回');
  await expectAccessible(page);
  await signOut(page);

  // The HR officer records it recovered.
  await signIn(page, testInfo, '13900000004', DEMO);
  await openMenu(page);
  await page.getByRole('link', { name: '追回', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('补贴追回');
  await hydrated(page, testInfo);
  await expectAccessible(page);
  const owed = page.getByRole('row').filter({ hasText: masked }).filter({ hasText: number });
  await owed.getByLabel('结果').selectOption('recovered');
  await owed.getByLabel('原因').fill('已退回财政专户');
  await owed.getByRole('button', { name: '登记' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(page.getByRole('row').filter({ hasText: number })).toContainText('已追回');
  await expectAccessible(page);
  await signOut(page);

  await signIn(page, testInfo, phone, PASSWORD);
  await visit(page, '/me/inbox', testInfo);
  await expect(page.getByRole('main')).toContainText('补贴追回「汽车维修工·中级工」：已追回');

  // "这不是我" on the enrolment: filed, listed, and in the HR officer's console.
  await visit(page, '/me/enrollments', testInfo);
  const card = page.locator('li.enrollment').filter({ hasText: '汽车维修工（中级）' });
  await card.getByText('这不是我').click();
  await card.getByLabel('说明（选填）').fill('考勤与实际不符');
  await card.getByRole('button', { name: '提交异议' }).click();
  await expect(page).toHaveURL(/\/me\/subsidies\?disputed=1/);
  await expect(page.getByRole('status')).toHaveText('已提交异议，人社部门会核查并告诉您结果。');
  await expect(page.getByRole('region', { name: '我的异议' })).toContainText('考勤与实际不符');
  await expectAccessible(page);
});

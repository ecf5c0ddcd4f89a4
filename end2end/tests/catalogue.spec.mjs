import { test, expect, visit, jsEnabled, expectAccessible, signIn, openFilters, openMenu } from './fixtures.mjs';

test('home page lists the ten industry areas in Chinese', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/', testInfo);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('找到适合您的免费或补贴培训');
  const areas = page.locator('.industry-grid a');
  await expect(areas).toHaveCount(10);
  await expect(areas.filter({ hasText: '低空经济' })).toContainText('个项目');
  await expect(page.getByText('演示数据')).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
});

test('the search box leads to a paginated, server-rendered course list', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/', testInfo);
  await page.getByLabel('搜索培训项目、职业或工种').fill('电工');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/\/courses\?q=%E7%94%B5%E5%B7%A5/);
  await expect(page.getByRole('heading', { level: 2, name: /共找到 \d+ 个培训项目/ })).toBeVisible();
  const titles = page.locator('.course-card h3 a');
  expect(await titles.count()).toBeGreaterThan(0);
  for (const title of await titles.allTextContents()) expect(title).toContain('电工');
  await expect(page.locator('.course-card .badge').first()).toHaveText('示例');
});

test('filtering by industry and city narrows the list', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/courses', testInfo);
  await expect(page.locator('.course-card')).toHaveCount(20);
  await openFilters(page);
  await page.getByLabel('行业领域').selectOption('elderly_childcare');
  await page.getByLabel('市州').selectOption('510100');
  await page.getByRole('button', { name: '查看结果' }).click();
  await expect(page).toHaveURL(/industry=elderly_childcare/);
  await expect(page).toHaveURL(/city=510100/);
  const cards = page.locator('.course-card');
  expect(await cards.count()).toBeGreaterThan(0);
  for (const where of await page.locator('.course-where').allTextContents()) expect(where).toContain('成都市');
  await expect(page.getByLabel('行业领域')).toHaveValue('elderly_childcare');
});

test('pagination moves to the next page', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/courses', testInfo);
  const first = await page.locator('.course-card h3 a').first().textContent();
  await page.getByRole('link', { name: '下一页' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/第 2 页，共 \d+ 页/)).toBeVisible();
  expect(await page.locator('.course-card h3 a').first().textContent()).not.toEqual(first);
});

test('a course page shows every field and the seats left', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/courses?city=513400', testInfo);
  const link = page.locator('.course-card h3 a').first();
  const title = await link.textContent();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  // The details are folded in groups: each opens with a tap, JS or not.
  for (const group of await page.locator('details.detail-group > summary').all()) await group.click();
  for (const field of ['项目编号', '承训机构', '培训等级', '面向群体', '剩余名额', '补贴标准', '培训地址']) {
    await expect(page.locator('dt', { hasText: field }).first()).toBeVisible();
  }
  await expect(page.locator('dd').filter({ hasText: /^凉山彝族自治州$/ })).toBeVisible();
  await expect(page.locator('dd', { hasText: /剩余 \d+ 个名额/ }).first()).toBeVisible();
  await expect(page).toHaveTitle(title);
});

test('an unknown course answers a styled 404 page', async ({ page, consoleErrors }, testInfo) => {
  consoleErrors.allowStatus(404);
  await visit(page, '/courses/NO-SUCH-COURSE', testInfo, { status: 404 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有找到这个页面');
  await expect(page.getByRole('link', { name: '返回培训项目列表' })).toBeVisible();
  await visit(page, '/no/such/page', testInfo, { status: 404 });
});

test('the page content is in the HTML itself (server-rendered)', async ({ request }) => {
  const html = await (await request.get('/courses?industry=low_altitude')).text();
  expect(html).toContain('<html lang="zh-CN"');
  expect(html).toContain('无人机');
  expect(html).toContain('class="course-card"');
});

test('the language switch renders the site in English', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/courses', testInfo);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveURL(/\/courses$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Courses');
  await expectAccessibleAfterNavigation(page, testInfo);
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

async function expectAccessibleAfterNavigation(page, testInfo) {
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
}

test('a search as people type it finds its occupation, and finding nothing offers a way on', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/', testInfo);
  await page.getByLabel('搜索培训项目、职业或工种').fill('照顾老人');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page.getByText('按「养老护理员」搜索')).toBeVisible();
  await expect(page.locator('.course-card h3 a').first()).toContainText('养老护理员');
  await expectAccessibleAfterNavigation(page, testInfo);

  // Electricians, but none in 绵阳: occupations to try, the words without the city, and
  // the cities that have them — plain links, with or without JavaScript.
  await visit(page, `/courses?q=${encodeURIComponent('电工')}&city=510700`, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: '共找到 0 个培训项目' })).toBeVisible();
  await expect(page.getByText('可以试试这些职业：')).toBeVisible();
  await expect(page.getByText('这些城市有符合的培训：')).toBeVisible();
  await page.getByRole('link', { name: '去掉筛选条件，只按「电工」搜索' }).click();
  await expect(page).toHaveURL(/\/courses\?q=%E7%94%B5%E5%B7%A5$/);
  await expect(page.locator('.course-card').first()).toBeVisible();
  await expectAccessibleAfterNavigation(page, testInfo);

  // The same in English.
  await visit(page, `/courses?q=${encodeURIComponent('钢琴调律')}`, testInfo);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByText('Try one of these occupations:')).toBeVisible();
  await expectAccessibleAfterNavigation(page, testInfo);
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('filters update the list in place with JavaScript, and back restores it', async ({ page, consoleErrors }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'needs JavaScript');
  await visit(page, '/courses', testInfo);
  await expect(page.locator('#catalogue-live')).toHaveAttribute('data-live', 'true');
  await page.evaluate(() => { window.__noReload = true; });
  const total = page.locator('.results-total');
  const before = await total.textContent();
  await openFilters(page);
  await page.getByLabel('行业领域').selectOption('low_altitude');
  await expect(page).toHaveURL(/\/courses\?industry=low_altitude$/);
  await expect(total).not.toHaveText(before);
  await page.getByLabel('市州').selectOption('510700');
  await expect(page).toHaveURL(/industry=low_altitude&city=510700/);
  for (const where of await page.locator('.course-where').allTextContents()) expect(where).toContain('绵阳市');
  for (const title of await page.locator('.course-card h3 a').allTextContents()) expect(title).toMatch(/无人机|植保/);
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
  await expectAccessible(page);

  await page.goBack();
  await expect(page).toHaveURL(/\/courses\?industry=low_altitude$/);
  await expect(page.locator('.course-where').filter({ hasNotText: '绵阳市' }).first()).toBeVisible();
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
});

test('an HR officer checks a catalogue file on the upload page', async ({ page, consoleErrors }, testInfo) => {
  await signIn(page, testInfo, '13900000004', 'peixun-demo-2026');
  await openMenu(page);
  await page.getByRole('link', { name: '导入目录' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('导入需求目录');
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
  const csv = [
    'code,title,occupation,industry,city,institution_code,institution,level,certificate_type,class_format,groups,hours,start_date,end_date,capacity,fee_yuan,subsidy_yuan,address',
    'E2E-UP-1,电工（初级）上传检查,电工,advanced_manufacturing,510100,91510100MA6C000001,示例学校,level5,skill_level,night,all,100,2030-03-01,2030-04-30,30,1800,1000,成都市',
  ].join('\n');
  await page.getByLabel('目录文件（CSV 或 XLSX）').setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel('只检查，不导入').check();
  await page.getByRole('button', { name: '上传' }).click();
  await expect(page.getByRole('status')).toContainText('检查通过（未导入）：将新增 1 项');
  await expectAccessible(page);
});

test('anyone can check a certificate; an unknown one is simply not found', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/verify?number=PX202600000001', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('证书核验');
  await expect(page.getByLabel('证书编号')).toHaveValue('PX202600000001');
  await page.getByLabel('持证人姓名（全名）').fill('张三');
  await page.getByRole('button', { name: '核验' }).click();
  await expect(page.getByRole('alert')).toContainText('没有找到与编号和姓名相符的证书');
  await expect(page).toHaveURL(/\/verify$/);
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page);
});

test('a course page leads to its institution, with the outcomes kept private below 10 people', async ({ page, consoleErrors }, testInfo) => {
  await visit(page, '/courses/CD-2026-0001', testInfo);
  await expect(page.getByRole('region', { name: '培训成效' })).toContainText('不足 10 人，不公开');
  await page.getByRole('link', { name: /全部培训项目和培训成效/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('成都天府技能实训基地（示例）');
  if (jsEnabled(testInfo)) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('region', { name: '培训成效' })).toContainText('每项数字至少代表 10 人');
  await expect(page.getByRole('link', { name: '电工（初级）周末班' })).toBeVisible();
  await expectAccessible(page);
});

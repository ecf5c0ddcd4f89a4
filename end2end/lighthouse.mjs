// Lighthouse (mobile: emulated phone, simulated slow 4G and CPU) on the home, catalogue and
// course pages of a release `peixun` serving the demo catalogue from a throwaway SQLite file,
// in Debian's chromium; also the catalogue with filters chosen and a course page signed in as
// the demo trainee (the verdict and the 报名 button), as a phone shows them. Prints the scores, writes target/lighthouse/summary.json and fails when
// a page is under the budget (performance and accessibility, out of 100).
//
//   node end2end/lighthouse.mjs            (after `make build`)
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const budget = {
  performance: Number(process.env.LIGHTHOUSE_MIN_PERFORMANCE || 95),
  accessibility: Number(process.env.LIGHTHOUSE_MIN_ACCESSIBILITY || 100),
};

async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peixun-lighthouse-'));
  const server = spawn(
    path.join(root, 'target/release/peixun'),
    ['serve', '--demo', '--addr', '127.0.0.1:0', '--database-url', `sqlite://${dir}/peixun.db`,
      '--site-root', path.join(root, 'target/site')],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', PEIXUN_LOG: 'info' } },
  );
  const base = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stderr });
    lines.on('line', (line) => {
      const at = line.split('listening on ')[1];
      if (at) resolve(at.trim());
    });
    server.on('exit', (code) => reject(new Error(`peixun exited (${code}) before listening`)));
    setTimeout(() => reject(new Error('peixun did not start in 60 s')), 60_000);
  });
  return { server, base, dir };
}

const { server, base, dir } = await startServer();
let failed = false;
try {
  const list = await (await fetch(`${base}/api/v1/courses?per_page=1`)).json();
  const course = list.items[0].code;
  const pages = {
    home: '/',
    catalogue: '/courses',
    course: `/courses/${encodeURIComponent(course)}`,
    filtered: '/courses?city=510100&industry=elderly_childcare&free=true',
    course_signed_in: `/courses/${encodeURIComponent(course)}`,
  };
  // The demo trainee's session, for the signed-in page.
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13900000001', password: 'peixun-demo-2026' }),
  });
  if (!login.ok) throw new Error(`demo sign-in: ${login.status} ${await login.text()}`);
  const session = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking'],
  });
  const summary = {};
  try {
    for (const [name, page] of Object.entries(pages)) {
      const result = await lighthouse(`${base}${page}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
        locale: 'en',
        ...(name === 'course_signed_in' ? { extraHeaders: { Cookie: session } } : {}),
      });
      const lhr = result.lhr;
      const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
      summary[name] = {
        url: page,
        performance: score('performance'),
        accessibility: score('accessibility'),
        best_practices: score('best-practices'),
        seo: score('seo'),
        fcp_ms: Math.round(lhr.audits['first-contentful-paint'].numericValue),
        lcp_ms: Math.round(lhr.audits['largest-contentful-paint'].numericValue),
        tbt_ms: Math.round(lhr.audits['total-blocking-time'].numericValue),
        cls: Number(lhr.audits['cumulative-layout-shift'].numericValue.toFixed(3)),
        transfer_bytes: lhr.audits['total-byte-weight'].numericValue,
      };
      // The weighted audits that fell short, by category (what to mend next).
      for (const category of ['accessibility', 'best-practices', 'seo']) {
        const misses = lhr.categories[category].auditRefs
          .filter((r) => r.weight > 0 && (lhr.audits[r.id].score ?? 1) < 1)
          .map((r) => r.id);
        if (misses.length) (summary[name].misses ||= {})[category] = misses;
      }
    }
  } finally {
    await chrome.kill();
  }
  fs.mkdirSync(path.join(root, 'target/lighthouse'), { recursive: true });
  fs.writeFileSync(path.join(root, 'target/lighthouse/summary.json'), JSON.stringify(summary, null, 2));
  console.log('== Lighthouse, mobile (page: performance / accessibility / best practices / SEO; FCP, LCP, TBT, CLS, bytes)');
  for (const [name, s] of Object.entries(summary)) {
    console.log(`${name.padEnd(16)} ${s.performance} / ${s.accessibility} / ${s.best_practices} / ${s.seo}` +
      `   FCP ${s.fcp_ms} ms, LCP ${s.lcp_ms} ms, TBT ${s.tbt_ms} ms, CLS ${s.cls}, ${s.transfer_bytes} B` +
      (s.misses ? `   short: ${JSON.stringify(s.misses)}` : ''));
    for (const metric of ['performance', 'accessibility']) {
      if (s[metric] < budget[metric]) {
        console.error(`budget: ${name} ${metric} ${s[metric]} < ${budget[metric]}`);
        failed = true;
      }
    }
  }
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// Playwright drives Debian's chromium (no browser download is possible here) against a
// release `peixun` serving the demo catalogue from a throwaway SQLite file.
import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.PEIXUN_E2E_PORT || 3917);
// The stand-in SMS gateway (texts-gateway.mjs): the servers text their codes there.
const gatewayPort = Number(process.env.PEIXUN_E2E_GATEWAY_PORT || 3919);
process.env.PEIXUN_E2E_GATEWAY_PORT = String(gatewayPort);
process.env.PEIXUN_SMS_TOKEN ||= 'e2e-sms-token';
// The real OpenID provider (oidc-provider.mjs) standing in for the unified identity service:
// one person for each project, so the projects' first sign-ins never race for one account.
const oidcPort = Number(process.env.PEIXUN_E2E_OIDC_PORT || 3920);
process.env.PEIXUN_E2E_OIDC_PORT = String(oidcPort);
process.env.PEIXUN_OIDC_CLIENT_SECRET ||= 'peixun-test-secret';
const oidcPeople = {
  'phone-js': { name: '实名甲', id_number: '510104199201013011', phone_number: '13300000001' },
  'phone-nojs': { name: '实名乙', id_number: '510105199302023020', phone_number: '13300000002' },
  'desktop-js': { name: '实名丙', id_number: '51010619940303303X', phone_number: '13300000003' },
};
// Set once in the main process; workers inherit it.
process.env.PEIXUN_E2E_DB ||= path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'peixun-e2e-')), 'e2e.db');

const chromium = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
const phone = { width: 375, height: 812 };
const desktop = { width: 1280, height: 800 };

export default defineConfig({
  testDir: './tests',
  // Two cores run two browsers, the server and axe: a phone-without-JS test checks each page
  // twice (see fixtures.mjs), so the slowest need more than 30 s under load.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'phone-js', use: { viewport: phone, isMobile: true, hasTouch: true } },
    { name: 'phone-nojs', use: { viewport: phone, isMobile: true, hasTouch: true, javaScriptEnabled: false } },
    { name: 'desktop-js', use: { viewport: desktop } },
  ],
  webServer: [
    {
      command: 'node texts-gateway.mjs',
      url: `http://127.0.0.1:${gatewayPort}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'node oidc-provider.mjs',
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      env: {
        ...process.env,
        OIDC_PORT: String(oidcPort),
        OIDC_PEOPLE: JSON.stringify(oidcPeople),
        OIDC_CLIENT_SECRET: process.env.PEIXUN_OIDC_CLIENT_SECRET,
      },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'ignore',
    },
    {
      command:
        `../target/release/peixun serve --demo --addr 127.0.0.1:${port} ` +
        `--oidc-issuer http://127.0.0.1:${oidcPort} --oidc-client-id peixun ` +
        `--database-url sqlite://${process.env.PEIXUN_E2E_DB} --site-root ../target/site ` +
        `--sms-gateway http://127.0.0.1:${gatewayPort}/texts --codes-per-address-per-hour 100000 ` +
        // Every project signs the same demo staff in, each time with a texted code.
        `--texts-per-phone-per-hour 1000`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});

// The canvas outside development mode: a platform started with MOLECULE_ENV=production and an
// ADMIN_TOKEN (CanvasBrowserTest passes MOLECULE_URL and ADMIN_TOKEN). The canvas asks for the
// token on the first 401, keeps it for the tab and sends it on every call.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE = process.env.MOLECULE_URL;
const TOKEN = process.env.ADMIN_TOKEN;
const SHOTS = process.env.SCREENSHOTS_DIR;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!BASE || !TOKEN) throw new Error('MOLECULE_URL and ADMIN_TOKEN must be set (run through CanvasBrowserTest)');

let browser;
let page;
const consoleErrors = [];
const admin = async (method, path, body) => {
  const r = await fetch(BASE + path, { method, body: body && JSON.stringify(body),
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { 'Content-Type': 'application/json' } : {}) } });
  return { status: r.status, json: await r.json().catch(() => null) };
};

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
});

test('without a token the API refuses, and the canvas asks for the admin token', async () => {
  assert.equal((await fetch(BASE + '/workspaces')).status, 401);
  assert.equal((await admin('POST', '/workspaces', { name: 'Guarded', role: 'keeps the keys', external: true })).status, 201);
  await page.goto(BASE + '/');
  await page.getByRole('dialog', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByTestId('node-Guarded').count(), 0);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/sign-in.png` });
});

test('a wrong token is refused in the dialog and not kept', async () => {
  await page.getByTestId('signin-token').fill('not-the-token');
  await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('dialog').getByText('The platform did not accept this token.').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('molecule.adminToken')), null);
});

test('the right token loads the org, goes live over /ws and is sent on every call', async () => {
  const authorized = page.waitForRequest((r) => r.url() === BASE + '/workspaces' && r.headers().authorization === `Bearer ${TOKEN}`);
  await page.getByTestId('signin-token').fill(TOKEN);
  await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('node-Guarded').waitFor();
  await authorized;
  await page.getByTestId('connection').getByText('live').waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);
  // live: a workspace made elsewhere appears without a reload
  await admin('POST', '/workspaces', { name: 'Arrives Live', external: true });
  await page.getByTestId('node-Arrives Live').waitFor();
});

test('the token survives a reload of the tab', async () => {
  await page.reload();
  await page.getByTestId('node-Guarded').waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);
});

test('no console errors but the refused calls', () => {
  assert.deepEqual(consoleErrors.filter((e) => !/status of 401/.test(e)), []);
});

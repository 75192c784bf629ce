// Browser tests of the canvas against a running platform (the packaged jar, started by the e2e
// module's CanvasBrowserTest, which passes MOLECULE_URL). Debian's Chromium, headless, driven by
// playwright-core. The tests run in order on one org: each builds on what the previous one made.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.MOLECULE_URL;
const SHOTS = process.env.SCREENSHOTS_DIR;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!BASE) throw new Error('MOLECULE_URL is not set (run through CanvasBrowserTest or set it to a running platform)');
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);

let browser;
let page;
const consoleErrors = [];
// requests a test makes fail on purpose: Chromium logs each as a console error
let expected400s = 0;

const api = async (method, path, body) => {
  const r = await fetch(BASE + path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body && JSON.stringify(body) });
  return { status: r.status, json: await r.json().catch(() => null) };
};
const byName = async (name) => (await api('GET', '/workspaces')).json.find((w) => w.name === name);
const node = (name) => page.getByTestId(`node-${name}`);
const shot = async (name) => { if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` }); };
async function until(what, fn, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
/** Drags a node by its card onto the centre of another element, in small steps as a hand would. */
async function drag(from, to) {
  const a = await from.locator('.card').boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + 20);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(a.x + a.width / 2 + ((b.x + b.width / 2) - (a.x + a.width / 2)) * i / steps,
      a.y + 20 + ((b.y + b.height / 2) - (a.y + 20)) * i / steps);
  }
  return async () => page.mouse.up();
}

before(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
});

test('an empty platform offers to create a workspace, and creating one puts it on the canvas', async () => {
  await page.goto(BASE + '/');
  await page.getByTestId('empty-state').waitFor();
  await page.getByTestId('connection').getByText('live').waitFor();
  await shot('empty-state');
  await page.getByTestId('empty-state').getByRole('button', { name: 'Create workspace' }).click();
  await page.getByTestId('create-name').fill('Solo');
  await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
  await node('Solo').waitFor();
  // live over /ws: it comes online without a reload
  await page.locator('[data-testid="node-Solo"][data-status="online"]').waitFor({ timeout: 30_000 });
  assert.equal((await byName('Solo')).status, 'online');
  assert.equal(await page.getByTestId('empty-state').count(), 0);
});

test('a deep link loads the canvas too', async () => {
  const r = await page.request.get(BASE + '/org/chart/deep-link-that-is-no-api'.replace('/org/', '/team/'));
  assert.equal(r.status(), 200);
  assert.match(await r.text(), /<div id="root">/);
});

test('chatting with a scripted agent streams its reply', async () => {
  await node('Solo').locator('.card').click();
  await page.getByTestId('side-panel').waitFor();
  await page.getByTestId('tab-chat').click();
  const streamed = page.waitForResponse((r) => r.url().endsWith('/a2a') && r.request().method() === 'POST');
  await page.getByTestId('chat-input').fill('hello canvas');
  await page.getByTestId('chat-input').press('Enter');
  const response = await streamed;
  assert.match(response.headers()['content-type'], /text\/event-stream/);
  assert.equal(JSON.parse(response.request().postData()).method, 'message/stream');
  await page.getByTestId('bubble-agent').getByText('echo: hello canvas').waitFor();
  await page.getByTestId('bubble-user').getByText('hello canvas').waitFor();
  await shot('chat');
});

test('a chat attachment is uploaded, sent as a file part and downloads again from its chip', async () => {
  // over the cap: refused in the browser with the reason, nothing uploaded
  await page.getByTestId('chat-file').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(25 * 1024 * 1024 + 1) });
  await page.getByText('huge.bin: larger than 25 MB, not attached').waitFor();
  assert.equal(await page.getByTestId('chat-attached').count(), 0);
  const content = 'step 1: interview users\nstep 2: ship\n';
  await page.getByTestId('chat-file').setInputFiles({ name: 'plan notes.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
  await page.getByTestId('chat-attached').getByText('plan notes.txt').waitFor();
  // the chat history is held back until the live bubbles are checked: their chips can only come from the stream
  const isHistory = (url) => url.pathname.endsWith('/activity') && url.searchParams.get('source') === 'canvas';
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(isHistory, async (route) => { await held; await route.continue(); });
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/chat/uploads') && r.status() === 200);
  const sent = page.waitForRequest((r) => r.url().endsWith('/a2a') && r.method() === 'POST');
  const streamed = page.waitForResponse((r) => r.url().endsWith('/a2a') && r.request().method() === 'POST');
  await page.getByTestId('chat-input').fill('see the attached plan');
  await page.getByTestId('chat-input').press('Enter');
  const [file] = (await (await uploaded).json()).files;
  assert.match(file.uri, /^workspace:\/workspace\/\.molecule\/chat-uploads\/[0-9a-f]{32}-plan_notes\.txt$/);
  const parts = JSON.parse((await sent).postData()).params.message.parts;
  assert.deepEqual(parts, [{ kind: 'text', text: 'see the attached plan' }, { kind: 'file', file: { uri: file.uri, name: 'plan notes.txt', mimeType: 'text/plain' } }]);
  const path = file.uri.slice('workspace:'.length);
  // the scripted agent echoes the prompt, which lists the upload's path: the streamed reply carries it as a file part
  assert.equal(await (await streamed).finished(), null, 'the stream ended');
  const reply = page.locator('[data-testid="bubble-agent"][data-live]').filter({ hasText: 'echo: see the attached plan' });
  const replyChip = reply.getByTestId('chat-file-link');
  await replyChip.waitFor();
  assert.ok((await reply.textContent()).includes(path), 'the reply names the upload');
  assert.equal(await replyChip.count(), 1, 'one chip for the file, though the final message and the completed status both name it');
  assert.equal((await replyChip.textContent()).trim(), path.slice(path.lastIndexOf('/') + 1));
  await page.locator('[data-testid="bubble-user"][data-live]').getByTestId('chat-file-link').getByText('plan notes.txt').waitFor();
  await shot('chat-attachment');
  // the history comes in and takes over: the exchange shows once, with the same chips, now from the activity log
  const logged = page.waitForResponse(async (r) => isHistory(new URL(r.url())) && (await r.text()).includes(file.uri));
  release();
  await page.unrouteAll({ behavior: 'wait' });
  await logged;
  await page.locator('[data-testid^="bubble-"][data-live]').first().waitFor({ state: 'detached' });
  const fromLog = page.getByTestId('bubble-agent').filter({ hasText: 'echo: see the attached plan' });
  assert.equal(await fromLog.count(), 1, 'the reply is shown once');
  assert.equal(await fromLog.getByTestId('chat-file-link').count(), 1);
  assert.equal(await page.getByTestId('bubble-user').filter({ hasText: 'see the attached plan' }).count(), 1);
  const chip = page.getByTestId('bubble-user').filter({ hasText: 'see the attached plan' }).getByTestId('chat-file-link');
  const download = page.waitForEvent('download');
  await chip.getByRole('button', { name: /plan notes\.txt/ }).click();
  const saved = await download;
  assert.equal(saved.suggestedFilename(), 'plan notes.txt');
  const chunks = [];
  for await (const c of await saved.createReadStream()) chunks.push(c);
  assert.equal(Buffer.concat(chunks).toString('utf8'), content);
});

test('deleting a single workspace needs no confirmation and brings the empty state back', async () => {
  await page.getByTestId('tab-details').click();
  await page.getByTestId('details-delete').click();
  await page.getByTestId('empty-state').waitFor();
  assert.equal((await api('GET', '/workspaces')).json.length, 0);
});

test('the demo org is imported and laid out as a team', async () => {
  await page.getByTestId('empty-state').getByRole('button', { name: 'Import demo org' }).click();
  for (const name of ['PM', 'Dev Lead', 'Researcher']) {
    await page.locator(`[data-testid="node-${name}"][data-status="online"]`).waitFor({ timeout: 60_000 });
  }
  const pm = await node('PM').boundingBox();
  for (const name of ['Dev Lead', 'Researcher']) {
    const b = await node(name).boundingBox();
    assert.ok(b.x >= pm.x && b.y > pm.y + 100 && b.x + b.width <= pm.x + pm.width + 1 && b.y + b.height <= pm.y + pm.height + 1,
      `${name} sits inside the PM's team box`);
  }
  const dev = await node('Dev Lead').boundingBox();
  const res = await node('Researcher').boundingBox();
  assert.ok(res.x >= dev.x + dev.width || dev.x >= res.x + res.width, 'members side by side, not overlapping');
  const pmId = (await byName('PM')).id;
  assert.equal((await byName('Dev Lead')).parent_id, pmId);
  assert.equal(await node('PM').locator('.badge.sim').count(), 1, 'simulated badge');
  await shot('demo-org');
  await page.getByRole('button', { name: 'Toggle light or dark theme' }).click();
  await shot('demo-org-dark');
  await page.getByRole('button', { name: 'Toggle light or dark theme' }).click();
});

test('a rename and a re-parent made elsewhere show up live', async () => {
  const researcher = await byName('Researcher');
  const devLead = await byName('Dev Lead');
  await api('PATCH', `/workspaces/${researcher.id}`, { name: 'Analyst', parent_id: devLead.id });
  await node('Analyst').waitFor();
  await until('Analyst drawn inside Dev Lead', async () => {
    const d = await node('Dev Lead').boundingBox();
    const r = await node('Analyst').boundingBox();
    return r && d && r.x >= d.x && r.y > d.y && r.x + r.width <= d.x + d.width + 1;
  });
  await api('PATCH', `/workspaces/${researcher.id}`, { name: 'Researcher', parent_id: (await byName('PM')).id });
  await node('Researcher').waitFor();
  assert.equal(await node('Analyst').count(), 0);
});

test('Ctrl+K finds a workspace and opens it; the keyboard reaches nodes and their menu', async () => {
  await page.locator('.react-flow__pane').click({ position: { x: 700, y: 600 } });
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Find a workspace' }).getByLabel('Search workspaces').fill('research');
  await page.keyboard.press('Enter');
  await page.getByTestId('side-panel').getByRole('heading', { name: 'Researcher' }).waitFor();
  await page.getByRole('button', { name: 'Close panel' }).click();
  // focus a node as Tab would, select it with Enter, open its menu with Shift+F10
  await page.locator('.react-flow__node', { has: node('Dev Lead') }).focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('side-panel').getByRole('heading', { name: 'Dev Lead' }).waitFor();
  await page.keyboard.press('Shift+F10');
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Chat' }).waitFor();
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  assert.equal(focused, 'Chat', 'the menu takes the focus');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('context-menu').count(), 0);
  await page.getByRole('button', { name: 'Close panel' }).click();
});

test('a pending approval shows in the banner and is approved from it', async () => {
  const dev = await byName('Dev Lead');
  const created = await api('POST', `/workspaces/${dev.id}/approvals`, { action: 'deploy to production', reason: 'tests are green' });
  assert.equal(created.status, 201);
  const banner = page.getByTestId('approval').filter({ hasText: 'deploy to production' });
  await banner.waitFor();
  await shot('approval');
  await banner.getByRole('button', { name: 'Approve' }).click();
  await banner.waitFor({ state: 'detached' });
  const decided = (await api('GET', `/workspaces/${dev.id}/approvals`)).json.find((a) => a.id === created.json.approval_id);
  assert.equal(decided.status, 'approved');
});

test('the Memory tab adds a memory and lists it', async () => {
  await node('Researcher').locator('.card').click();
  await page.getByTestId('tab-memory').click();
  await page.getByLabel('New memory', { exact: true }).fill('users prefer email sign-up');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByTestId('memories').getByText('users prefer email sign-up').waitFor();
  const researcher = await byName('Researcher');
  const stored = (await api('GET', `/workspaces/${researcher.id}/memories`)).json;
  assert.ok(stored.some((m) => m.content === 'users prefer email sign-up' && m.scope === 'LOCAL' && m.namespace === 'general'));
  // a namespace of its own, and the filter by it
  await page.getByLabel('New memory', { exact: true }).fill('interviews are on Tuesdays');
  await page.getByLabel('New memory namespace').fill('research');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByTestId('memories').getByText('interviews are on Tuesdays').waitFor();
  await page.getByLabel('Namespace filter').fill('research');
  await until('only the research namespace listed', async () => {
    const items = await page.getByTestId('memories').locator('li').allTextContents();
    return items.length === 1 && items[0].includes('interviews are on Tuesdays');
  });
  await page.getByLabel('Namespace filter').fill('');
  // key/value with a time to live
  await page.getByLabel('Key', { exact: true }).fill('sprint');
  await page.getByLabel('Value', { exact: true }).fill('{"n": 12}');
  await page.getByLabel('Time to live in seconds').fill('3600');
  await page.getByRole('button', { name: 'Set', exact: true }).click();
  await page.getByText(/v1 · expires /).waitFor();
  const kv = (await api('GET', `/workspaces/${researcher.id}/memory`)).json.find((e) => e.key === 'sprint');
  assert.deepEqual(kv.value, { n: 12 });
  assert.ok(kv.expires_at, 'the TTL reached the server');
  await page.getByRole('button', { name: 'Close panel' }).click();
});

test('the Schedules tab shows the server\'s cron error, creates a schedule, runs it now and lists the run', async () => {
  await node('Researcher').locator('.card').click();
  await page.getByTestId('tab-schedules').click();
  await page.getByTestId('schedule-name').fill('morning digest');
  await page.getByTestId('schedule-cron').fill('61 9 * * *');
  await page.getByText('minute: 61 is outside 0-59').waitFor();
  await page.getByTestId('schedule-timezone').fill('Europe/Paris');
  await page.getByTestId('schedule-prompt').fill('Summarise what changed overnight');
  expected400s++;
  await page.getByRole('button', { name: 'Create schedule' }).click();
  const error = await page.getByTestId('schedule-error').textContent();
  assert.match(error, /^invalid request body: cron_expr: /, 'the server\'s message and its detail');
  await page.getByTestId('schedule-cron').fill('30 7 * * mon-fri');
  await page.getByText('Runs at 07:30 on weekdays (Europe/Paris).').waitFor();
  await page.getByRole('button', { name: 'Create schedule' }).click();
  const row = page.getByTestId('schedule-morning digest');
  await row.waitFor();
  const researcher = await byName('Researcher');
  const [stored] = (await api('GET', `/workspaces/${researcher.id}/schedules`)).json;
  assert.equal(stored.cron_expr, '30 7 * * mon-fri');
  assert.equal(stored.timezone, 'Europe/Paris');
  assert.equal(stored.enabled, true);
  await row.getByRole('button', { name: 'Run now' }).click();
  const run = row.getByTestId('schedule-run').first();
  await run.waitFor({ timeout: 30_000 });
  const history = (await api('GET', `/workspaces/${researcher.id}/schedules/${stored.id}/history`)).json;
  assert.equal(history.length, 1, 'one run, fired by the platform');
  assert.match(await run.textContent(), new RegExp(`^${history[0].status}`));
  await shot('schedules');
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByText('disabled', { exact: true }).waitFor();
  assert.equal((await api('GET', `/workspaces/${researcher.id}/schedules`)).json[0].enabled, false);
  await page.getByRole('button', { name: 'Close panel' }).click();
});

test('the Config tab edits config.yaml through the form and as raw YAML, refuses invalid YAML, and saves the file', async () => {
  const researcher = await byName('Researcher');
  await node('Researcher').locator('.card').click();
  await page.getByTestId('tab-config').click();
  const raw = page.getByTestId('config-yaml');
  await until('config.yaml loaded', async () => /script:/.test(await raw.inputValue()));
  const before = await raw.inputValue();
  assert.equal(await page.getByTestId('config-field-role').inputValue(), 'User researcher');
  // form → YAML
  await page.getByTestId('config-field-role').fill('Interviews users');
  assert.match(await raw.inputValue(), /^role: "?Interviews users"?$/m);
  // YAML → form (a comment and a key the form shows)
  await raw.fill((await raw.inputValue()) + '# checked every 15 minutes\nidle_interval_seconds: 900\n');
  assert.equal(await page.getByTestId('config-field-idle_interval_seconds').inputValue(), '900');
  // invalid YAML: an inline error, nothing saved
  const good = await raw.inputValue();
  await raw.fill(good + 'skills: [unclosed\n');
  await page.getByTestId('config-error').waitFor();
  assert.match(await page.getByTestId('config-error').textContent(), /^Invalid YAML: .*line \d+, column \d+/);
  assert.equal(await page.getByTestId('config-save').isDisabled(), true);
  await shot('config-invalid-yaml');
  await raw.fill(good);
  await page.getByTestId('config-error').waitFor({ state: 'detached' });
  await page.getByTestId('config-save').click();
  await page.getByTestId('config-saved').waitFor();
  const file = (await api('GET', `/workspaces/${researcher.id}/files/config.yaml`)).json;
  assert.equal(file.content, good, 'the file is what the editor showed, comments included');
  assert.match(file.content, /^role: "?Interviews users"?$/m);
  assert.match(file.content, /^# checked every 15 minutes$/m);
  assert.equal(file.content.split('\n').filter((l) => l.startsWith('script:')).length, 1, 'keys the form does not show stay');
  assert.notEqual(file.content, before);
  await until('the row follows the role', async () => (await byName('Researcher')).role === 'Interviews users');
  const config = (await api('GET', `/workspaces/${researcher.id}/config`)).json;
  assert.equal(config.data.idle_interval_seconds, 900, 'the stored config is the saved YAML');
  await shot('config');
  await page.getByRole('button', { name: 'Close panel' }).click();
});

test('a delegation animates between PM and Dev Lead and lands in Agent comms', async () => {
  await node('PM').locator('.card').click();
  await page.getByTestId('tab-chat').click();
  await page.getByTestId('chat-input').fill('Build a sign-up page');
  await page.getByTestId('chat-input').press('Enter');
  await page.getByTestId('flight').first().waitFor({ timeout: 30_000 });
  await shot('delegation');
  await page.getByTestId('bubble-agent').getByText('Dev Lead: a small API').waitFor({ timeout: 60_000 });
  await page.getByTestId('agent-comms-tab').click();
  await page.getByTestId('comm').filter({ hasText: 'PM → Dev Lead' }).first().waitFor();
  await page.getByTestId('comm').filter({ hasText: 'PM → Researcher' }).first().waitFor();
  await shot('agent-comms');
  await page.getByRole('button', { name: 'Close panel' }).click();
});

test('dragging a node out of its team makes it a root, dragging it onto another nests it there', async () => {
  const researcher = await byName('Researcher');
  const devLead = await byName('Dev Lead');
  // out: onto empty canvas below the team
  const pm = await node('PM').boundingBox();
  const emptySpot = page.locator('.react-flow__pane');
  const a = await node('Researcher').locator('.card').boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + 20);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(a.x + a.width / 2, a.y + 20 + (pm.y + pm.height + 150 - a.y) * i / 12);
  await page.mouse.up();
  void emptySpot;
  await until('Researcher to become a root', async () => (await byName('Researcher')).parent_id === null);
  // in: onto the Dev Lead, which lights up as the drop target while hovered
  const release = await drag(node('Researcher'), node('Dev Lead'));
  await page.locator('[data-testid="node-Dev Lead"].drop-target').waitFor();
  await shot('drag-to-nest');
  await release();
  await until('Researcher to report to the Dev Lead', async () => (await byName('Researcher')).parent_id === devLead.id);
  assert.equal((await byName('Researcher')).id, researcher.id);
  // the canvas follows: Researcher is drawn inside the Dev Lead's box now
  await until('Researcher drawn inside Dev Lead', async () => {
    const d = await node('Dev Lead').boundingBox();
    const r = await node('Researcher').boundingBox();
    return r && d && r.x >= d.x && r.y > d.y && r.x + r.width <= d.x + d.width + 1;
  });
});

test('deleting a team asks for the cascade confirmation, then removes the whole team', async () => {
  await node('PM').locator('.card').click({ button: 'right' });
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Dev Lead').waitFor();
  await shot('delete-confirmation');
  await page.getByTestId('confirm-cascade').click();
  await page.getByTestId('empty-state').waitFor();
  assert.equal((await api('GET', '/workspaces')).json.length, 0);
});

test('an org template is imported from the palette after the missing-keys preflight', async () => {
  await page.getByTestId('empty-state').getByRole('button', { name: 'Browse org templates' }).click();
  await page.getByTestId('org-templates').waitFor();
  await page.getByTestId('template-demo').click();
  const preflight = page.waitForResponse((r) => r.url().endsWith('/org/import') && r.status() === 412);
  await page.getByTestId('import-org').click();
  assert.deepEqual((await (await preflight).json()).missing_env, ['ANTHROPIC_API_KEY']);
  await page.getByTestId('preflight').waitFor();
  await page.getByTestId('missing-ANTHROPIC_API_KEY').fill('sk-ant-canvas-e2e-not-a-real-key');
  await shot('org-import-preflight');
  await page.getByRole('button', { name: 'Save keys and import' }).click();
  for (const name of ['PM', 'Dev Lead', 'Researcher']) await node(name).waitFor();
  assert.ok((await api('GET', '/settings/secrets')).json.some((k) => k.key === 'ANTHROPIC_API_KEY'), 'saved as a global secret');
  const pm = await byName('PM');
  assert.equal((await byName('Researcher')).parent_id, pm.id);
  const box = await node('PM').boundingBox();
  const dev = await node('Dev Lead').boundingBox();
  assert.ok(dev.x >= box.x && dev.y > box.y && dev.x + dev.width <= box.x + box.width + 1, 'laid out as a team');
  await shot('org-imported');
});

test('the context menu duplicates a workspace beside it and exports its bundle', async () => {
  await node('Dev Lead').locator('.card').click({ button: 'right' });
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Duplicate' }).click();
  await node('Dev Lead (copy)').waitFor();
  assert.equal((await byName('Dev Lead (copy)')).parent_id, (await byName('PM')).id, 'the copy sits in the same team');
  await node('Researcher').locator('.card').click({ button: 'right' });
  const download = page.waitForEvent('download');
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Export bundle' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'Researcher.bundle.json');
  const chunks = [];
  for await (const c of await file.createReadStream()) chunks.push(c);
  const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.equal(bundle.name, 'Researcher');
  assert.equal(bundle.schema, '1.0');
});

test('a team lead with sub_workspaces in its config expands into its team and collapses back', async () => {
  const created = await api('POST', '/workspaces', { name: 'Support Lead', model: 'scripted',
    config: { sub_workspaces: [{ name: 'Triage', role: 'sorts tickets' }, { name: 'Responder', role: 'answers' }] } });
  assert.equal(created.status, 201);
  await node('Support Lead').waitFor();
  await node('Support Lead').locator('.card').click({ button: 'right' });
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Expand team' }).click();
  for (const name of ['Triage', 'Responder']) await node(name).waitFor();
  assert.equal((await byName('Triage')).parent_id, created.json.id);
  await node('Support Lead').locator('.card').click({ button: 'right' });
  assert.equal(await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Expand team' }).count(), 0, 'a team expands once');
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Collapse team' }).click();
  await page.getByRole('dialog').getByText('Responder').waitFor();
  await page.getByTestId('confirm-collapse').click();
  await node('Triage').waitFor({ state: 'detached' });
  await node('Responder').waitFor({ state: 'detached' });
  assert.equal(await byName('Triage'), undefined);
  assert.ok(await byName('Support Lead'), 'the lead stays');
});

test('no console errors on the way (the preflight\'s 412 and the bad requests made on purpose are expected)', () => {
  const bad = consoleErrors.filter((e) => /status of 400/.test(e));
  assert.equal(bad.length, expected400s, 'exactly the 400s made on purpose');
  assert.deepEqual(consoleErrors.filter((e) => !/status of 412|status of 400/.test(e)), []);
});

// Measures panning smoothness with a large org: frames per second while the canvas pans, at 1280×800
// and at 4K. Not a test (CI does not run it): `MOLECULE_URL=http://127.0.0.1:8080 node e2e/pan-bench.mjs`
// against an EMPTY development-mode platform; it creates N external workspaces (no agents start).
import { chromium } from 'playwright-core';

const BASE = process.env.MOLECULE_URL;
const N = Number(process.env.N ?? 200);
const post = (b) => fetch(BASE + '/workspaces', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })
  .then((r) => r.json());

// 20 teams: a lead with 9 members each
const leads = [];
const existing = await fetch(BASE + '/workspaces').then((r) => r.json());
for (let t = 0; existing.length === 0 && leads.length * 10 < N; t++) leads.push((await post({ name: `Lead ${t}`, role: 'team lead', external: true })).id);
let made = leads.length;
for (const lead of leads) {
  const batch = [];
  for (let m = 0; m < 9 && made < N; m++, made++) batch.push(post({ name: `Member ${made}`, role: 'engineer', external: true, parent_id: lead }));
  await Promise.all(batch);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (const [w, h] of [[1280, 800], [3840, 2160]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  await page.goto(BASE + '/');
  await page.locator('.react-flow__node').nth(5).waitFor();
  const rendered = await page.locator('.react-flow__node').count();
  const pane = await page.locator('.react-flow__pane').boundingBox();
  const start = { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 };
  await page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => { window.__frames.push(t); window.__raf = requestAnimationFrame(tick); };
    window.__raf = requestAnimationFrame(tick);
  });
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 0; i < 120; i++) await page.mouse.move(start.x - i * 8, start.y - i * 3);
  await page.mouse.up();
  const frames = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__frames; });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const secs = (frames.at(-1) - frames[0]) / 1000;
  console.log(`${w}x${h}: ${N} workspaces, ${rendered} nodes rendered, ${(frames.length / secs).toFixed(1)} fps while panning, `
    + `median frame ${gaps[Math.floor(gaps.length / 2)].toFixed(1)} ms, p95 ${gaps[Math.floor(gaps.length * 0.95)].toFixed(1)} ms`);
  await page.close();
}
await browser.close();

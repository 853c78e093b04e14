// A small bridge from the Rust test (tests/console_browser.rs) to Playwright: one JSON command per line
// on stdin, one JSON answer per line on stdout. Drives Debian's Chromium, headless.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--font-render-hinting=none'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const base = process.env.HUB;
// Generous: a 2-core CI machine runs several browsers and terminals at once, and a wait that passes in a
// second alone has missed 10 s there.
const timeout = 30000;
// What the page's Content-Security-Policy blocked, as Chromium reports it.
const violations = [];
page.on('console', (message) => {
  if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
});

async function run(cmd) {
  switch (cmd.do) {
    case 'goto': await page.goto(base + cmd.path); return null;
    case 'fill': await page.fill(cmd.sel, cmd.text, { timeout }); return null;
    case 'click': await page.click(cmd.sel, { timeout }); return null;
    case 'select': await page.selectOption(cmd.sel, cmd.value, { timeout }); return null;
    case 'wait':
      await page.waitForSelector(cmd.sel, { timeout, state: cmd.state || 'visible' });
      return null;
    case 'text': return await page.textContent(cmd.sel, { timeout });
    case 'eval': return await page.evaluate(cmd.js);
    // Waits for a mirror newer than `after` and says when it reached the page (epoch ms).
    case 'frame':
      await page.waitForFunction((n) => Number(document.body.dataset.frame) > n, cmd.after,
        { timeout, polling: 'raf' });
      return await page.evaluate(() => window.lastMirror);
    case 'shot': await page.screenshot({ path: cmd.path, fullPage: true }); return cmd.path;
    case 'files': await page.setInputFiles(cmd.sel, cmd.paths, { timeout }); return null;
    case 'viewport': await page.setViewportSize({ width: cmd.width, height: cmd.height }); return null;
    case 'reload': await page.reload(); return null;
    case 'violations': return violations;
    // Clicks and waits for the page that click loads (a logout reloads the console).
    case 'click_and_load':
      await Promise.all([page.waitForEvent('load', { timeout }), page.click(cmd.sel, { timeout })]);
      return null;
    case 'close': await browser.close(); process.exit(0);
    default: throw new Error('unknown command ' + cmd.do);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    answer = { ok: true, value: await run(JSON.parse(line)) };
  } catch (error) {
    answer = { ok: false, error: String(error && error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
await browser.close();

/**
 * `npx tsx scripts/screenshot.ts URL OUT.png [light|dark] [width]`: a full-page screenshot in
 * Chromium, for looking at pages by hand.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../e2e/support/chromium';

const [url, out, theme = 'light', width = '1280'] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: npx tsx scripts/screenshot.ts URL OUT.png [light|dark] [width]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: resolveChromium(), args: CHROMIUM_ARGS });
const page = await browser.newPage({
  viewport: { width: Number(width), height: 900 },
  colorScheme: theme === 'dark' ? 'dark' : 'light',
});
await page.goto(url, { waitUntil: 'networkidle' });
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(out);

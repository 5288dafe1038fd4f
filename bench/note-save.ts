/**
 * How long a note save takes as a person sees it: from pressing Save to the saved note shown, in
 * Chromium against a running server (loopback).
 *   npx tsx bench/note-save.ts [--base http://127.0.0.1:3000] [--saves 20]
 */
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../e2e/support/chromium';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:3000' },
    saves: { type: 'string', default: '20' },
  },
});
const browser = await chromium.launch({ executablePath: resolveChromium(), args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.goto(`${values.base}/sign-in`);
await page.getByLabel('Email').fill(process.env.BENCH_EMAIL ?? 'admin@pattern-ledger.local');
await page.getByLabel('Password').fill(process.env.BENCH_PASSWORD ?? 'pattern-ledger-demo');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByTestId('user-menu').waitFor();
await page.goto(`${values.base}/savings?range=all`);
const row = page.getByTestId('savings-log').locator('tbody tr').first();
const id = await row.getAttribute('data-entry-id');
const times: number[] = [];
for (let i = 0; i < Number(values.saves); i++) {
  await row.getByRole('button', { name: new RegExp(`note for savings entry ${id}$`) }).click();
  await row.getByLabel(`Note for savings entry ${id}`).fill(`benchmark note ${i} ${Date.now()}`);
  const started = performance.now();
  await row.getByRole('button', { name: 'Save' }).click();
  await row
    .getByTestId('note-text')
    .filter({ hasText: `benchmark note ${i} ` })
    .waitFor();
  times.push(performance.now() - started);
}
await browser.close();
times.sort((a, b) => a - b);
const at = (p: number) =>
  times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
console.log(
  `note save, click to saved note shown (${times.length} saves): p50 ${at(50)} ms, p95 ${at(95)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
);

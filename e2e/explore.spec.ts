import { expect, test, type Locator, type Page } from '@playwright/test';

const count = (text: string) => Number(text.replace(/[^0-9]/g, ''));

/** Hovers the bar at `index` in a chart and returns the tooltip's text. */
async function hoverBar(page: Page, chart: Locator, index: number) {
  const bar = chart.locator('.recharts-bar-rectangle').nth(index);
  await bar.hover();
  const tooltip = page.getByTestId('chart-tooltip');
  await expect(tooltip).toBeVisible();
  return { bar, text: await tooltip.innerText() };
}

test("a pattern's occurrence bar opens exactly its occurrences, by mouse and by keyboard", async ({
  page,
}) => {
  await page.goto('/patterns');
  await page.getByTestId('leaderboard').locator('tbody tr a').first().click();
  await expect(page).toHaveURL(/\/patterns\/\d+/);
  const patternUrl = page.url();
  const chart = page.getByRole('img', { name: /^Occurrences of / });
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  // A bar some days back: the chart's last bars are today's, partly covered.
  const bars = await chart.locator('.recharts-bar-rectangle').count();
  const { bar, text } = await hoverBar(page, chart, Math.max(0, bars - 4));
  const occurrences = count(/Occurrences\s+([\d,]+)/.exec(text)![1]!);
  expect(text).toMatch(/Click or press Enter for its rows/);
  await bar.click();
  await expect(page).toHaveURL(
    /range=custom&from=\d{4}-\d{2}-\d{2}.*&to=\d{4}-\d{2}-\d{2}.*#recent$/,
  );
  await expect(page.getByTestId('stat-occurrences')).toHaveText(
    new RegExp(`^${occurrences.toLocaleString('en-US')}$`),
  );
  await expect(page.getByTestId('pagination-status')).toContainText(
    `of ${occurrences.toLocaleString('en-US')} occurrences`,
  );

  // By keyboard: focus the chart, move along the buckets with the arrow keys, press Enter.
  await page.goto(patternUrl);
  const surface = chart.locator('svg.recharts-surface[tabindex="0"]');
  await surface.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const tooltip = page.getByTestId('chart-tooltip');
  await expect(tooltip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/range=custom/);
  expect(page.url()).not.toBe(patternUrl);
});

test('a savings segment opens the log filtered to its type and bucket, with its total', async ({
  page,
}) => {
  await page.goto('/savings');
  const chart = page.getByRole('img', { name: /by optimization type/ });
  const segments = chart.locator('.recharts-bar-rectangle');
  await expect(segments.first()).toBeVisible();
  // The first series' segments are "Pattern offload"; take one a few days back.
  const firstSeries = chart.locator('.recharts-bar').first().locator('.recharts-bar-rectangle');
  const n = await firstSeries.count();
  const { bar, text } = await hoverBar(page, chart.locator('.recharts-bar').first(), n - 4);
  const usd = /Pattern offload\s+(\$[\d,.]+)/.exec(text)![1]!;
  await bar.click();
  await expect(page).toHaveURL(/type=pattern_offload/);
  await expect(page).toHaveURL(/range=custom/);
  await expect(page.getByTestId('log-totals')).toContainText(`saved ${usd} and`);
  // Every listed entry is of that type.
  const types = await page
    .getByTestId('savings-log')
    .locator('tbody td[data-col="type"]')
    .allInnerTexts();
  for (const type of types) expect(type).toMatch(/Pattern offload/);
});

test('a live page reloads in place only when the data changed, and waits while hidden', async ({
  page,
  browser,
}) => {
  test.slow();
  const polls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/live') polls.push(request.url());
  });
  await page.goto('/savings?sort=savedAt&notes=without');
  await page.getByLabel('Refresh').selectOption('10s');
  await expect(page).toHaveURL(/refresh=10s/);
  const status = page.getByTestId('live-status');
  await expect(status).toHaveText(/^Updated \d{2}:\d{2}:\d{2}$/);
  const firstUpdate = await status.innerText();
  // The chart keeps its element across a reload: mark it and look for the mark afterwards.
  const chart = page.getByRole('img', { name: /by optimization type/ });
  await chart.evaluate((element) => element.setAttribute('data-marked', 'yes'));

  // Nothing changed: the page polls but does not reload.
  await expect.poll(() => polls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  await expect(status).toHaveText(firstUpdate);

  // A note saved in another browser: the page reloads by itself and shows it.
  const row = page.getByTestId('savings-log').locator('tbody tr').first();
  const id = await row.getAttribute('data-entry-id');
  const other = await browser.newPage();
  await other.goto('/savings?sort=savedAt&notes=without');
  const otherRow = other.locator(`[data-entry-id="${id}"]`);
  await otherRow.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  await otherRow.getByLabel(`Note for savings entry ${id}`).fill('Seen live.');
  await otherRow.getByRole('button', { name: 'Save' }).click();
  await expect(otherRow.getByTestId('note-text')).toHaveText('Seen live.');
  await other.close();
  await expect(page.locator(`[data-entry-id="${id}"]`)).toHaveCount(0, { timeout: 15_000 });
  await expect(status).not.toHaveText(firstUpdate);
  await expect(chart).toHaveAttribute('data-marked', 'yes');

  // Hidden, it stops looking; shown again, it looks at once.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const hiddenAt = polls.length;
  await page.waitForTimeout(12_000);
  expect(polls.length).toBe(hiddenAt);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect.poll(() => polls.length).toBe(hiddenAt + 1);
});

test('compare draws the previous period dashed, with both values in the tooltip', async ({
  page,
}) => {
  await page.goto('/savings');
  await page.getByLabel('Compare').check();
  await expect(page).toHaveURL(/compare=previous/);
  const chart = page.getByRole('img', { name: /by optimization type/ });
  await expect(chart.getByText('Total, previous period')).toBeVisible();
  await expect(chart.locator('path.recharts-curve[stroke-dasharray="5 4"]')).toHaveCount(1);
  const { text } = await hoverBar(page, chart, 10);
  expect(text).toMatch(/against .+ \(dashed\)/);
  expect(text).toMatch(/Total, previous period\s+\$[\d,.]+/);
  // The choice is carried to the next section, and all time has nothing to compare with.
  await page.getByRole('link', { name: 'Overview' }).first().click();
  await expect(page).toHaveURL(/compare=previous/);
  await expect(page.getByText('Occurrences, previous period')).toBeVisible();
  await page.getByLabel('Time range').selectOption('all');
  await expect(page.getByLabel('Compare')).toBeDisabled();
  await expect(page.getByText('Occurrences, previous period')).toHaveCount(0);
});

test('a breakdown by a matched characteristic adds up to the range, drills to its rows and downloads', async ({
  page,
}) => {
  await page.goto('/patterns');
  const section = page.locator('#breakdown');
  await section.getByTestId('breakdown-by').selectOption('mc.complexity');
  await section.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/by=mc\.complexity/);
  const table = section.getByTestId('breakdown-table');
  await expect(table.locator('thead')).toContainText('matched_characteristics.complexity');
  const groups = await table.locator('tbody th').allInnerTexts();
  expect(groups).toEqual(expect.arrayContaining(['simple', 'moderate', 'complex']));
  // The groups' total is every occurrence of the range, as the leaderboard counts them.
  const total = count(await section.getByTestId('breakdown-total').innerText());
  const footnote = await page.getByText(/Share: of all/).innerText();
  expect(total).toBe(count(/of all ([\d,]+) occurrences/.exec(footnote)![1]!));

  // The CSV holds every bucket and group; its values add up to the same total.
  const href = await section
    .getByRole('link', { name: 'Download breakdown CSV' })
    .getAttribute('href');
  expect(href).toContain('subject=occurrences');
  const csv = await (await page.request.get(href!)).text();
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('bucket_start_utc,group,value');
  const sum = lines.slice(1).reduce((s, line) => s + Number(line.split(',').at(-1)), 0);
  expect(sum).toBe(total);

  // A segment of a pattern type opens the leaderboard filtered to that type and bucket.
  await section.getByTestId('breakdown-by').selectOption('pattern_type');
  await section.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/by=pattern_type/);
  const chart = section.getByRole('img');
  const bars = chart.locator('.recharts-bar').first().locator('.recharts-bar-rectangle');
  await expect(bars.first()).toBeVisible();
  await bars.nth((await bars.count()) - 3).click();
  await expect(page).toHaveURL(/range=custom.*type=|type=.*range=custom/);
});

test('save a filtered view, share and pin it; the overview shows its live figures and opens it', async ({
  page,
}) => {
  const name = `Tool calls ${Date.now()}`;
  await page.goto('/savings?range=7d&type=tool_call&by=model');
  await page.getByRole('button', { name: 'Save view' }).click();
  const form = page.getByRole('form', { name: 'Save this view' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Share with everyone').check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toContainText(`Saved “${name}”, shared with everyone.`);
  // The same name again is refused, and says why.
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toContainText('You already have a view with this name.');

  await page.goto('/views');
  const row = page.getByTestId('saved-views').locator(`tr[data-view="${name}"]`);
  await expect(row).toContainText('with everyone');
  await expect(row).toContainText('Last 7 days');
  await row.getByRole('button', { name: `Pin ${name} to the overview` }).click();
  await expect(row.getByRole('button', { name: `Unpin ${name} from the overview` })).toBeVisible();

  await page.goto('/?range=7d');
  const pin = page.getByTestId('pinned-views').locator(`li[data-view="${name}"]`);
  await expect(pin).toBeVisible();
  // Its figures are those of its range and filters, as its own page counts them.
  const usd = (await pin.getByTestId('pin-usd').innerText()).split(' ')[0]!;
  const entries = (await pin.getByTestId('pin-entries').innerText()).split(' ')[0]!;
  await pin.getByRole('link', { name }).click();
  await expect(page).toHaveURL(/\/savings\?/);
  expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
    range: '7d',
    type: 'tool_call',
    by: 'model',
  });
  await expect(page.getByTestId('log-totals')).toContainText(`saved ${usd} and`);
  await expect(page.getByTestId('log-totals')).toContainText(entries);

  await page.goto('/views');
  await row.getByRole('button', { name: `Rename ${name}` }).click();
  await row.getByLabel(`New name for ${name}`).fill(`${name} renamed`);
  await row.getByRole('button', { name: 'Rename' }).click();
  const renamed = page.getByTestId('saved-views').locator(`tr[data-view="${name} renamed"]`);
  await expect(renamed).toBeVisible();
  page.once('dialog', (dialog) => void dialog.accept());
  await renamed.getByRole('button', { name: `Delete ${name} renamed` }).click();
  await expect(renamed).toHaveCount(0);
});

test('a note written on an entry marks its day on the savings charts, and hovering says what it was', async ({
  page,
}) => {
  await page.goto('/savings?notes=without&sort=savedAt');
  const row = page.getByTestId('savings-log').locator('tbody tr').first();
  const id = await row.getAttribute('data-entry-id');
  const text = `Marker check ${Date.now()}`;
  await row.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  await row.getByLabel(`Note for savings entry ${id}`).fill(text);
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('note-text')).toHaveText(text);

  await page.goto('/savings');
  const chart = page.getByRole('img', { name: 'Cumulative USD saved' });
  await expect(chart).toHaveAttribute('data-events', /^[1-9]/);
  const marker = chart.locator('.chart-event line').last();
  await expect(marker).toBeAttached();
  await chart.scrollIntoViewIfNeeded();
  const box = (await marker.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('chart-events')).toContainText(`#${id} ${text}`);
});

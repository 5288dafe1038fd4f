import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../lib/csv';

/** axe with the WCAG 2.2 AA rules (target size among them), not only its defaults. */
async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')})`,
  );
  expect(summary).toEqual([]);
}

async function firstLinkHref(page: Page, selector: string) {
  const href = await page.locator(selector).first().getAttribute('href');
  expect(href).toBeTruthy();
  return href!;
}

test('every page: loads, has a title, passes axe in light and dark, and is screenshotted', async ({
  page,
}, testInfo) => {
  // Every page twice, with axe and a full-page screenshot each: about three minutes on two
  // cores, more while the machine is busy; the bound is against a hang, not a speed check.
  test.setTimeout(480_000);
  await page.goto('/patterns?range=all');
  const patternHref = await firstLinkHref(
    page,
    '[data-testid="leaderboard"] tbody td:nth-child(2) a',
  );
  await page.goto('/savings?range=all');
  const entryHref = await firstLinkHref(page, '[data-testid="savings-log"] tbody td:first-child a');
  await page.goto('/workflows?range=all');
  const workflowHref = await firstLinkHref(
    page,
    '[data-testid="workflows"] tbody td:first-child a',
  );

  const pages: [string, string, RegExp][] = [
    ['overview', '/', /^Overview · Pattern Ledger$/],
    ['patterns', '/patterns', /^Patterns · Pattern Ledger$/],
    ['pattern', patternHref, / · Pattern Ledger$/],
    ['savings', '/savings', /^Savings · Pattern Ledger$/],
    ['savings-entry', entryHref, /^Savings entry #\d+ · Pattern Ledger$/],
    ['workflows', '/workflows', /^Workflows · Pattern Ledger$/],
    ['workflow', workflowHref, /^Workflow .+ · Pattern Ledger$/],
    ['roi', '/roi', /^ROI · Pattern Ledger$/],
    ['review', '/review', /^Review · Pattern Ledger$/],
    ['data-quality', '/data-quality', /^Data quality · Pattern Ledger$/],
    [
      'data-quality-check',
      '/data-quality/occurrence-count-drift',
      /^Stored occurrence counts .* · Pattern Ledger$/,
    ],
    ['admin-users', '/admin/users', /^Users · Pattern Ledger$/],
    ['admin-api-keys', '/admin/api-keys', /^API keys · Pattern Ledger$/],
    ['alerts', '/alerts', /^Alerts · Pattern Ledger$/],
    ['alert-rule', '/alerts/1', /^Alert rule · Pattern Ledger$/],
    ['new-alert-rule', '/alerts/new', /^New alert rule · Pattern Ledger$/],
    ['reports', '/reports', /^Reports · Pattern Ledger$/],
    ['admin-channels', '/admin/channels', /^Channels · Pattern Ledger$/],
    ['views', '/views', /^Saved views · Pattern Ledger$/],
    ['capture', '/capture', /^Capture · Pattern Ledger$/],
    ['capture-rule', '/capture/rules/1', /^Rule · Capture · Pattern Ledger$/],
    ['new-capture-rule', '/capture/rules/new', /^New rule · Capture · Pattern Ledger$/],
    ['patterns-breakdown', '/patterns?by=mc.complexity', /^Patterns · Pattern Ledger$/],
    ['not-found', '/nothing-here', /Pattern Ledger/],
  ];
  for (const [name, path, title] of pages) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await expect(page).toHaveTitle(title);
      await expect(page.locator('[data-testid="skeleton"]')).toHaveCount(0);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: testInfo.outputPath(`${name}-${scheme}.png`), fullPage: true });
    }
  }
});

test('a tablet-width layout keeps every page usable', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 820, height: 1100 });
  for (const path of ['/', '/patterns', '/savings', '/workflows']) {
    await page.goto(path);
    // Nothing but wide tables (which scroll inside their own box) may overflow the page.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${path} overflows horizontally`).toBeLessThanOrEqual(0);
    await page.screenshot({
      path: testInfo.outputPath(`tablet${path.replace('/', '-') || '-overview'}.png`),
      fullPage: true,
    });
  }
});

test('on a phone the header is one row behind a menu, and no page scrolls sideways', async ({
  page,
}, testInfo) => {
  // Eighteen pages, each checked by axe and screenshotted whole.
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of [
    '/',
    '/patterns',
    '/patterns?range=all&page=2',
    '/savings',
    '/workflows',
    '/roi',
    '/review',
    '/data-quality',
    '/admin/users',
    '/admin/api-keys',
    '/alerts',
    '/alerts/1',
    '/reports',
    '/admin/channels',
    '/views',
    '/capture',
    '/capture/rules/1',
    '/savings?by=model',
  ]) {
    await page.goto(path);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    const header = await page.locator('header').boundingBox();
    expect(header!.height, `${path}: header height`).toBeLessThan(80);
    await expectNoAxeViolations(page);
    await page.screenshot({
      path: testInfo.outputPath(`phone${path.replace(/[/?=&]/g, '-') || '-overview'}.png`),
      fullPage: true,
    });
  }
  // The menu opens, its links work, and a followed link closes it.
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(page.getByTestId('header-menu')).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Savings' })
    .click();
  await expect(page).toHaveURL(/\/savings/);
  await expect(page.getByTestId('header-menu')).toBeHidden();
});

test('the time range is carried across every section and the controls work by keyboard', async ({
  page,
}) => {
  await page.goto('/');
  const control = page.getByTestId('time-range-control');
  await control.getByLabel('Time range').focus();
  await control.getByLabel('Time range').selectOption('7d');
  await expect(page).toHaveURL(/range=7d/);
  await control.getByLabel('Time zone').selectOption('Asia/Kolkata');
  await expect(page).toHaveURL(/tz=Asia%2FKolkata/);
  await control.getByLabel('Granularity').selectOption('hour');
  await expect(page.getByTestId('range-note')).toContainText('by hour');
  for (const section of ['Patterns', 'Savings', 'Workflows', 'Overview']) {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: section })
      .click();
    await expect(page).toHaveURL(/range=7d/);
    await expect(page.getByTestId('range-note')).toContainText('Last 7 days');
    await expect(page.getByTestId('range-note')).toContainText('Asia/Kolkata (UTC+05:30)');
  }
  // Keyboard: tab to the first leaderboard sort header and press Enter.
  await page.goto('/patterns?range=7d');
  const header = page.getByTestId('leaderboard').getByRole('link', { name: /^Workflows/ });
  await header.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/sort=workflows/);

  await page.goto('/patterns?range=custom&from=2026-01-01&to=2026-01-07');
  await expect(page.getByTestId('range-note')).toContainText(
    'Custom range: 2026-01-01 00:00 – 2026-01-08 00:00',
  );
});

test('exports download as CSV with the page filters, and parse', async ({ page }) => {
  await page.goto('/savings?range=all&type=tool_call&sort=usd&dir=desc');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('savings.csv');
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const [header, ...rows] = parseCsv(await readFile(path, 'utf8'));
  expect(header).toContain('cost_saved_usd');
  const type = header!.indexOf('optimization_type');
  const usd = header!.indexOf('cost_saved_usd');
  expect(rows.length).toBeGreaterThan(100);
  expect(new Set(rows.map((r) => r[type]))).toEqual(new Set(['tool_call']));
  const amounts = rows.map((r) => Number(r[usd]));
  expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  // The first rows are the table's first rows.
  const firstIds = await page
    .getByTestId('savings-log')
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry-id')));
  expect(rows.slice(0, firstIds.length).map((r) => r[0])).toEqual(firstIds);

  for (const [path, name] of [
    ['/patterns?range=all', 'patterns.csv'],
    ['/workflows?range=all', 'workflows.csv'],
  ] as const) {
    await page.goto(path);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe(name);
    const parsed = parseCsv(await readFile(await file.path(), 'utf8'));
    expect(parsed.length).toBeGreaterThan(10);
  }
});

test('overview widgets load with their figures', async ({ page }) => {
  await page.goto('/?range=all');
  await expect(page.getByTestId('kpi-usd')).toContainText('$');
  await expect(page.getByTestId('kpis').getByTestId('delta').first()).toContainText('no data');
  await page.goto('/?range=30d');
  await expect(page.getByTestId('kpis').getByTestId('delta').first()).toContainText(
    'vs the previous 30 days',
  );
  await expect(page.getByTestId('top-patterns').locator('tbody tr')).toHaveCount(10);
});

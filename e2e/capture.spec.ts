/**
 * Capture, end to end in Chromium: an admin creates a capture key, an agent's Claude Code hooks
 * send a session, and its operations fill the leaderboard, a pattern's page and the savings log;
 * a command no rule knows is turned into a rule from the Capture page, and its occurrences appear.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { bugFixSession } from '../tests/fixtures/claude-code-hooks';

async function send(agent: APIRequestContext, key: string, inputs: Record<string, unknown>[]) {
  for (const input of inputs) {
    const answer = await agent.post('/api/v1/hooks/claude-code', {
      headers: { authorization: `Bearer ${key}` },
      data: input,
    });
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toEqual({});
  }
}

test('hooks fill the leaderboard, a pattern and the savings; a new rule recognises a new command', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = Date.now().toString(36);
  await page.goto('/admin/api-keys');
  const create = page.getByRole('form', { name: 'Create an API key' });
  await create.getByLabel('Name').fill(`claude-code-${run}`);
  await create.getByLabel('Scope').selectOption('capture');
  await create.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('generated-secret').innerText();

  // An automated pattern of the demo, and the tool it runs instead of the model.
  await page.goto('/patterns?range=all&status=active');
  await page.getByTestId('leaderboard').locator('tbody tr td:nth-child(2) a').first().click();
  const tool = await page.locator('code').filter({ hasText: /^run_/ }).first().innerText();

  const agent = await playwright.request.newContext({ baseURL });
  const session = `e2e-${run}`;
  await send(agent, key, bugFixSession(session));
  await send(agent, key, [
    {
      session_id: session,
      hook_event_name: 'PostToolUse',
      cwd: '/home/dev/app',
      tool_name: 'Bash',
      tool_input: { command: `python adws/tools/${tool}.py` },
      tool_use_id: `toolu_${run}_tool`,
      tool_response: { stdout: 'done' },
    },
    ...[1, 2].map((n) => ({
      session_id: session,
      hook_event_name: 'PreToolUse',
      cwd: '/home/dev/app',
      tool_name: 'Bash',
      tool_input: { command: `terraform${run} plan -out plan${n}` },
      tool_use_id: `toolu_${run}_tf${n}`,
    })),
  ]);

  // The session's workflow now has its patterns, and the tool's run is a savings entry.
  await expect(async () => {
    await page.goto(`/workflows/${session}?range=24h`);
    await expect(page.getByText('test:pytest:backend').first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText('git:status:summary').first()).toBeVisible();
  await expect(async () => {
    await page.goto(`/savings?range=24h&workflow=${session}`);
    await expect(page.getByTestId('savings-log')).toContainText(
      'Derived by Pattern Ledger capture',
      { timeout: 1000 },
    );
  }).toPass({ timeout: 30_000 });
  await page.goto('/patterns?range=24h&q=format:ruff');
  await expect(page.getByTestId('leaderboard')).toContainText('format:ruff:all');

  // The Capture page lists the new program as unrecognised; make it a rule, try it, save it.
  await page.goto('/capture?range=24h');
  const program = `terraform${run}`;
  const row = page.getByTestId('unrecognised-commands').locator(`tr[data-head="${program}"]`);
  await expect(row).toContainText('2');
  await page.screenshot({ path: testInfo.outputPath('capture.png'), fullPage: true });
  await row.getByRole('link', { name: `Make a rule for ${program}` }).click();
  const editor = page.getByRole('form', { name: 'Add a rule' });
  await expect(editor.getByLabel('Name')).toHaveValue(program);
  await editor.getByLabel(/^Signature/).fill('deploy:terraform:plan');
  await editor.getByRole('button', { name: 'Try on the latest events' }).click();
  await expect(page.getByTestId('rule-trial')).toContainText('deploy:terraform:plan');
  await expect(page.getByTestId('rule-trial')).toContainText('Matches 2 of the latest');
  await editor.getByRole('button', { name: 'Add rule' }).click();
  await expect(editor.getByRole('status').first()).toContainText(`Added “${program}”`);

  // Re-derive applies it to the events kept: the pattern appears with its one workflow.
  await page.goto('/capture');
  const rule = page.getByTestId('capture-rules').locator(`tr[data-rule="${program}"]`);
  await rule.getByRole('button', { name: `Re-derive ${program}` }).click();
  await expect(rule.getByRole('status')).toContainText('go through the rules again');
  await expect(async () => {
    await page.goto('/patterns?range=24h&q=deploy:terraform');
    await expect(page.getByTestId('leaderboard')).toContainText('deploy:terraform:plan', {
      timeout: 1000,
    });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId('leaderboard').locator('tbody tr td:nth-child(2) a').first().click();
  await expect(page.getByTestId('counted-occurrences')).toHaveText('1');
  await agent.dispose();
});

test('the capture receivers refuse what is not theirs, and a capture key nothing else', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.goto('/admin/api-keys');
  const create = page.getByRole('form', { name: 'Create an API key' });
  await create.getByLabel('Name').fill(`capture-only-${Date.now()}`);
  await create.getByLabel('Scope').selectOption('capture');
  await create.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('generated-secret').innerText();
  const agent = await playwright.request.newContext({ baseURL });
  const headers = { authorization: `Bearer ${key}` };
  expect((await agent.get('/api/v1/patterns', { headers })).status()).toBe(403);
  expect(
    (await agent.post('/api/v1/occurrences', { headers, data: { occurrences: [] } })).status(),
  ).toBe(403);
  expect(
    (
      await agent.post('/v1/logs', {
        headers: { ...headers, 'content-type': 'application/x-protobuf' },
        data: Buffer.from([0x0a, 0xff, 0xff]),
      })
    ).status(),
  ).toBe(400);
  expect(
    (
      await agent.post('/api/v1/hooks/claude-code', {
        headers,
        data: { hook_event_name: 'PreToolUse' },
      })
    ).status(),
  ).toBe(400);
  await agent.dispose();
});

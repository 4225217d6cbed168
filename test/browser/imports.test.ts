import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { collectErrors, openContext, screenshot, seriousViolations, signIn } from '../support/browser.ts';
import { type ConsoleFixture, startConsoleFixture } from '../support/console-fixture.ts';

let fixture: ConsoleFixture;
let runtime: LocalRuntime;
let browser: Browser;
let files: string;

const call: ConsoleFixture['call'] = (method, path, body) => fixture.call(method, path, body);

const csvFile = (name: string, rows: string[]) => {
  const path = join(files, name);
  writeFileSync(path, rows.join('\n'));
  return path;
};

/** Uploads a file through the Imports page and waits for the page to report the job done. */
const importThroughPage = async (page: Page, file: string) => {
  await page.getByLabel('What the file holds').selectOption('customers');
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await page.getByTestId('import-status').waitFor();
  // The page polls; the local runtime's import runs on its stand-in bus, settled here.
  await call('POST', '/_local/settle');
  await page.getByTestId('import-status').getByText('Done', { exact: true }).waitFor();
};

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'crm-imports-'));
  fixture = await startConsoleFixture('imports');
  ({ runtime, browser } = fixture);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('the console for imports, survey scales and suppressions', () => {
  it('lets an admin import members, see the progress and counts, and the row that failed', async () => {
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Imports', exact: true }).click();

    await importThroughPage(
      page,
      csvFile('members.csv', [
        'externalId,name,phone,consent.sms,interests,tags',
        'M001,Li Lei,+8613800138001,true,table-tennis,vip|club',
        'M002,Han Meimei,+8613800138002,true,swimming,',
      ]),
    );
    const progress = page.getByRole('progressbar', { name: '2 of 2 rows processed' });
    expect(await progress.getAttribute('value')).toBe('2');
    expect(await page.getByTestId('import-created').innerText()).toBe('2');
    expect(await page.getByTestId('import-failed').innerText()).toBe('0');
    await screenshot(page, 'imports-1280-en');
    expect(await seriousViolations(page)).toEqual([]);

    // The same two members again, and a third with a phone that is no phone.
    await importThroughPage(
      page,
      csvFile('members-bad.csv', [
        'externalId,name,phone,consent.sms,interests,tags',
        'M001,Li Lei,+8613800138001,true,table-tennis,vip|club',
        'M002,Han Meimei,+8613800138002,true,swimming,',
        'M004,Bad Phone,12,true,,',
      ]),
    );
    expect(await page.getByTestId('import-unchanged').innerText()).toBe('2');
    expect(await page.getByTestId('import-failed').innerText()).toBe('1');
    const errorRow = page.getByRole('table', { name: 'Rows not imported' }).getByRole('row').nth(1);
    const cells = await errorRow.getByRole('cell').allInnerTexts();
    expect(cells.slice(0, 2)).toEqual(['3', 'phone']);
    expect(cells[2]).not.toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'imports-errors-1280-en');

    const customers = (await call('GET', '/customers?limit=50')).items as { externalId?: string }[];
    expect(customers.map((c) => c.externalId).sort()).toEqual(['M001', 'M002']);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows the Imports page in Chinese on a phone, and no Imports link to a marketer', async () => {
    const context = await openContext(browser, 'phone', 'zh-CN');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'admin', { role: '角色', submit: '登录' });
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('navigation').getByRole('link', { name: '导入', exact: true }).click();
    await page.getByLabel('CSV 文件').waitFor();
    await screenshot(page, 'imports-390-zh');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    const marketerContext = await openContext(browser, 'desktop');
    const marketerPage = await marketerContext.newPage();
    await signIn(marketerPage, runtime.url, 'marketer');
    await marketerPage
      .getByRole('navigation')
      .getByRole('link', { name: 'Campaigns', exact: true })
      .waitFor();
    expect(await marketerPage.getByRole('navigation').getByRole('link', { name: 'Imports' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await marketerContext.close();
  }, 120_000);

  it('lets a marketer create a csat5 survey campaign and see the question in the preview', async () => {
    const context = await openContext(browser, 'phone');
    const page = await context.newPage();
    // Li Lei bought a paddle three days ago, before the campaign exists: the stream sees the purchase
    // while no campaign wants it, so only the activation's backfill can plan its survey.
    const li = ((await call('GET', '/customers?limit=50')).items as { id: string; name: string }[]).find(
      (c) => c.name === 'Li Lei',
    );
    await call('PUT', '/products/PADDLE', {
      name: 'Paddle',
      category: 'table-tennis',
      lifespanDays: 180,
      price: 399,
    });
    await call('POST', '/purchases', {
      customerId: li?.id,
      purchasedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      storeId: 'bj-01',
      items: [{ sku: 'PADDLE', quantity: 1, unitPrice: 399 }],
    });
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer');
    await page.goto(`${runtime.url}/#/campaigns/new`);
    await page.getByLabel('Name').fill('Paddle rating');
    await page.getByLabel('Satisfaction survey').selectOption('csat5');
    await page.getByLabel('Body').fill('How is your new paddle, {{customer.name}}?');
    const preview = page.getByTestId('preview-body');
    await expect
      .poll(() => preview.innerText())
      .toBe('How is your new paddle, Li Lei? Reply 1 to 5 (5 = very satisfied, 1 = very unsatisfied).');
    await screenshot(page, 'editor-survey-390-en');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Paddle rating' }).waitFor();
    const campaigns = (await call('GET', '/campaigns?limit=50')).items as { name: string; survey: unknown }[];
    expect(campaigns.find((c) => c.name === 'Paddle rating')?.survey).toEqual({ scale: 'csat5' });

    // Activating with a backfill plans the survey for Li Lei's paddle bought three days ago. The answer
    // says how many were planned before it; on a loaded machine the rest may go on in the background.
    const campaignId = new URL(page.url()).hash.split('/')[2];
    await page.getByLabel('Plan for purchases since').fill('2026-01-01');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page
      .getByRole('status')
      .getByText(
        /^Earlier purchases planned(: 1\.| so far: [01]\. The rest are being planned in the background\.)$/,
      )
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await call('GET', `/campaigns/${campaignId}/stats`)).scheduled, { timeout: 60_000 })
      .toBe(1);
    await screenshot(page, 'campaign-backfill-390-en');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('lets an admin suppress and release a customer phone from the customer page', async () => {
    const customers = (await call('GET', '/customers?limit=50')).items as { id: string; name: string }[];
    const li = customers.find((c) => c.name === 'Li Lei');
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'admin');
    await page.goto(`${runtime.url}/#/customers/${li?.id}`);
    await page.getByRole('button', { name: 'Suppress marketing SMS' }).click();
    await page.getByText('+8613800138001: added by hand').waitFor();
    const listed = await call('GET', '/suppressions?channel=sms&address=%2B8613800138001');
    expect(listed.items).toMatchObject([{ channel: 'sms', address: '+8613800138001', reason: 'manual' }]);
    await screenshot(page, 'customer-suppressions-1280-en');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Remove the suppression of +8613800138001' }).click();
    await page.getByRole('button', { name: 'Suppress marketing SMS' }).waitFor();
    expect((await call('GET', '/suppressions?channel=sms&address=%2B8613800138001')).items).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows the average rating of the 1–5 answers on the Satisfaction page', async () => {
    // The backfilled survey goes out a week after the purchase; Li Lei answers 4.
    await call('POST', '/_local/clock', { advanceDays: 6 });
    const sent = (await call('GET', `/_local/outbox?to=${encodeURIComponent('+8613800138001')}`)).items;
    expect(sent.at(-1).body).toContain('Reply 1 to 5');
    const reply = await call('POST', '/_local/sms/inbound', {
      originationNumber: '+8613800138001',
      destinationNumber: '+12065550100',
      messageBody: '4 nice grip',
      inboundMessageId: 'browser-imports-1',
      previousPublishedMessageId: sent.at(-1).providerMessageId,
    });
    expect(reply.outcome).toBe('scored');
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Satisfaction', exact: true }).click();
    await page.getByRole('columnheader', { name: 'Average rating' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'PADDLE' });
    const headers = await page.getByRole('columnheader').allInnerTexts();
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells[headers.indexOf('Average rating')]).toBe('4');
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'satisfaction-scales-1280-en');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

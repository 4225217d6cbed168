import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { collectErrors, openContext, screenshot, seriousViolations, signIn } from '../support/browser.ts';
import { type ConsoleFixture, startConsoleFixture } from '../support/console-fixture.ts';

let fixture: ConsoleFixture;
let runtime: LocalRuntime;
let browser: Browser;
let leadId: string;

const call: ConsoleFixture['call'] = (method, path, body) => fixture.call(method, path, body);

beforeAll(async () => {
  fixture = await startConsoleFixture('leads');
  ({ runtime, browser } = fixture);
  // The salesperson signs in through the page as the local runtime's default sales user.
  const lead = await call('POST', '/leads', {
    customer: { name: 'Zhao Lei', phone: '+8613700000001', consent: { sms: true } },
    source: 'walk-in',
    interest: 'SUV test drive',
    grade: 'A',
    ownerId: 'local-sales',
  });
  leadId = lead.id;
  await call('POST', '/_local/settle');
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('the console for dealer sales', () => {
  it('lets a salesperson on a phone log a contact that upgrades a lead', async () => {
    const context = await openContext(browser, 'phone');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'sales');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('link', { name: 'Zhao Lei' }).click();
    await page.getByRole('heading', { name: 'Zhao Lei · SUV test drive' }).waitFor();
    await page.getByLabel('Type').selectOption('test-drive');
    await page.getByLabel('Outcome').selectOption('visited');
    await page.getByLabel('Grade after this contact').fill('H');
    await page.getByLabel('Note').fill('Loved the SUV; bringing his wife on Saturday.');
    await page.getByRole('button', { name: 'Log contact' }).click();
    await page.getByText('A → H').waitFor();
    await screenshot(page, 'lead-390-en');

    const lead = await call('GET', `/leads/${leadId}`);
    expect(lead.grade).toBe('H');
    const activities = (await call('GET', `/leads/${leadId}/activities`)).items as {
      type: string;
      note?: string;
    }[];
    expect(activities.find((a) => a.type === 'test-drive')?.note).toContain('Saturday');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a manager the daily sales report and the funnel, in Chinese, without accessibility violations', async () => {
    const context = await openContext(browser, 'desktop', 'zh-CN');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'manager', { role: '角色', submit: '登录' });
    await page.getByRole('navigation').getByRole('link', { name: '报表', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'local-sales' });
    await row.waitFor();
    // One new lead, one test drive, one upgrade, recorded today. The table may render again as the
    // report loads, so the cells are read until they settle rather than once.
    await expect
      .poll(async () => {
        const cells = await row.getByRole('cell').allInnerTexts();
        return { owner: cells[0], newLeads: cells[1], testDrives: cells[4], upgrades: cells[8] };
      })
      .toEqual({ owner: 'local-sales', newLeads: '1', testDrives: '1', upgrades: '1' });
    await page.getByRole('heading', { name: '商机漏斗' }).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'reports-1280-zh');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${runtime.url}/#/leads`);
    await page.getByRole('link', { name: 'Zhao Lei' }).waitFor();
    await screenshot(page, 'leads-1280-zh');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${runtime.url}/#/leads/${leadId}`);
    await page.getByRole('heading', { name: '跟进记录' }).waitFor();
    await screenshot(page, 'lead-1280-zh');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

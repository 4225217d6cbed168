import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { collectErrors, openContext, screenshot, seriousViolations, signIn } from '../support/browser.ts';
import { type ConsoleFixture, startConsoleFixture } from '../support/console-fixture.ts';

let fixture: ConsoleFixture;
let runtime: LocalRuntime;
let browser: Browser;
/** What the report test did, for the repeat-purchases test to count on its own. */
let outcome: { later: string; remindedBuyers: number; heldOutBuyers: number } | undefined;

const call: ConsoleFixture['call'] = (method, path, body) => fixture.call(method, path, body);

/** The text a screen reader reads with a control: its aria-describedby targets (hint, server error). */
const description = async (control: Locator) => {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
};

const en = (n: number) => new Intl.NumberFormat('en-US').format(n);
const pct = (share: number) =>
  new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(share);
const points = (share: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(share * 100);
const pts = (share: number) => `${points(share)} pts`;

/** The value shown in one tile of the report's totals. */
const tile = (page: Page, key: string) => page.getByTestId(`report-${key}`).locator('.value').innerText();

interface Report {
  totals: Record<string, number>;
  confidence: { level: number; upliftLow: number | null; upliftHigh: number | null; minimumPerGroup: number };
  variants: { name: string; sent: number; conversions: number; conversionRate: number }[];
  series: { start: string; sent: number; conversions: number }[];
}

/**
 * A lifecycle campaign with a holdout and two variants, and 16 customers who bought a paddle:
 * a week later each got variant A or B or was held out; then every other one bought again.
 */
const campaignWithOutcomes = async () => {
  const campaign = await call('POST', '/campaigns', {
    name: 'Grip check',
    kind: 'lifecycle',
    channel: 'sms',
    holdoutPercent: 50,
    goal: { purchase: {}, withinDays: 30 },
    trigger: { products: { categories: ['table-tennis'] }, timing: { afterPurchaseDays: 7 } },
    variants: [
      { name: 'A', weight: 50, message: { body: 'A: {{customer.name}}, time to check your grip?' } },
      { name: 'B', weight: 50, message: { body: 'B: {{customer.name}}, new grips are in.' } },
    ],
  });
  await call('POST', `/campaigns/${campaign.id}/activate`);
  const customers: { id: string }[] = [];
  for (let i = 0; i < 16; i++)
    customers.push(
      await call('POST', '/customers', {
        name: `Player ${i}`,
        phone: `+86139100000${String(i).padStart(2, '0')}`,
        consent: { sms: true },
        timezone: 'Asia/Shanghai',
      }),
    );
  const { now } = await call('GET', '/_local/clock');
  for (const c of customers)
    await call('POST', '/purchases', {
      customerId: c.id,
      purchasedAt: now,
      items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
    });
  await call('POST', '/_local/clock', { advanceDays: 8 });
  const later = (await call('GET', '/_local/clock')).now;
  const buyers = customers.filter((_, i) => i % 2 === 0);
  for (const c of buyers)
    await call('POST', '/purchases', {
      customerId: c.id,
      purchasedAt: later,
      items: [{ sku: 'GRIP', quantity: 2 }],
    });
  await call('POST', '/_local/settle');
  return { campaign, customers, later, buyers: new Set(buyers.map((c) => c.id)) };
};

beforeAll(async () => {
  fixture = await startConsoleFixture('effect');
  ({ runtime, browser } = fixture);
  await call('PUT', '/products/PADDLE-PRO', {
    name: 'Pro paddle',
    category: 'table-tennis',
    lifespanDays: 180,
    price: 399,
  });
  await call('PUT', '/products/GRIP', { name: 'Grip tape', category: 'table-tennis', price: 25 });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('the console for campaign effectiveness', () => {
  it('creates a campaign with a holdout, a goal and two variants, showing server errors next to their fields', async () => {
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer');
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Paddle follow-up');
    await page.getByLabel('Product categories').fill('table-tennis');
    await page.getByLabel('Holdout (%)').fill('20');
    await page.getByLabel('Conversion goal').selectOption('sameCategory');
    await page.getByLabel('Within days').fill('21');
    await page.getByLabel('Body').fill('{{customer.name}}, how is the {{product.name}}?');
    await page.getByLabel('Test several variants of the message').check();

    // Switching to variants starts two even ones, the first with the message written so far.
    const first = page.getByRole('group', { name: 'Variant 1' });
    const second = page.getByRole('group', { name: 'Variant 2' });
    expect(await first.getByLabel('Body').inputValue()).toBe(
      '{{customer.name}}, how is the {{product.name}}?',
    );
    await second.getByLabel('Variant name').fill('Short');
    await second.getByLabel('Weight').fill('-5');
    await page.getByRole('button', { name: 'Save' }).click();

    // The server names variants.1.weight and variants.1.message.body; each shows under its own field.
    await second.locator('.field-error').first().waitFor();
    const alert = page.getByRole('alert');
    await alert
      .filter({ hasText: 'variants.1.weight' })
      .filter({ hasText: 'variants.1.message.body' })
      .waitFor();
    // Each control is described by its error (then its hint), so a screen reader reads it too.
    expect(await description(second.getByLabel('Weight'))).toMatch(
      /^\S.* Share of customers who get this variant\.$/,
    );
    expect(await description(second.getByLabel('Body'))).not.toBe('');
    expect(await first.locator('.field-error').count()).toBe(0);
    expect(await description(first.getByLabel('Weight'))).toBe('Share of customers who get this variant.');
    await screenshot(page, 'campaign-variants-errors-1280-en');
    expect(await seriousViolations(page)).toEqual([]);

    // The input survives; fixing both fields saves the campaign.
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Paddle follow-up');
    await second.getByLabel('Weight').fill('50');
    await second.getByLabel('Body').fill('{{customer.name}}: 10% off grips this week.');
    await first.getByLabel('Weight').fill('50');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Paddle follow-up' }).waitFor();

    const saved = (await call('GET', '/campaigns')).items.find(
      (c: { name: string }) => c.name === 'Paddle follow-up',
    );
    expect(saved.holdoutPercent).toBe(20);
    expect(saved.goal).toEqual({ purchase: { sameCategory: true }, withinDays: 21 });
    expect(saved.message).toBeUndefined();
    expect(saved.variants).toEqual([
      { name: 'A', weight: 50, message: { body: '{{customer.name}}, how is the {{product.name}}?' } },
      { name: 'Short', weight: 50, message: { body: '{{customer.name}}: 10% off grips this week.' } },
    ]);
    // The detail page lists both variants with their weights.
    await page.getByText('Variant Short (50)').waitFor();
    // The one 400 is the rejected save above, which the browser logs as a failed request.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the report with the figures the API gives, which match the messages and purchases', async () => {
    const { campaign, buyers, later } = await campaignWithOutcomes();
    const report: Report = await call('GET', `/campaigns/${campaign.id}/report?interval=day`);
    const messages = (await call('GET', `/messages?campaignId=${campaign.id}&limit=100`)).items as {
      customerId: string;
      status: string;
      variant?: string;
    }[];
    // The API's own figures agree with what this client did.
    const sent = messages.filter((m) => m.status === 'sent');
    const held = messages.filter((m) => m.status === 'holdout');
    expect(sent.length + held.length).toBe(16);
    expect(report.totals.sent).toBe(sent.length);
    expect(report.totals.holdout).toBe(held.length);
    expect(report.totals.conversions).toBe(sent.filter((m) => buyers.has(m.customerId)).length);
    expect(report.totals.holdoutConversions).toBe(held.filter((m) => buyers.has(m.customerId)).length);
    // Each conversion is two grips at 25.
    expect(report.totals.revenue).toBe(50 * (report.totals.conversions ?? 0));
    expect(report.totals.holdoutRevenue).toBe(50 * (report.totals.holdoutConversions ?? 0));
    for (const v of report.variants) expect(v.sent).toBe(sent.filter((m) => m.variant === v.name).length);
    outcome = {
      later,
      remindedBuyers: sent.filter((m) => buyers.has(m.customerId)).length,
      heldOutBuyers: held.filter((m) => buyers.has(m.customerId)).length,
    };

    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer');
    await page.goto(`${runtime.url}/#/campaigns/${campaign.id}`);
    // Messages carry their variant, and held-out customers show as such.
    const rows = page.getByRole('row');
    await rows.filter({ hasText: 'Held out' }).first().waitFor();
    expect(await rows.filter({ hasText: 'Held out' }).count()).toBe(held.length);
    // Held-out customers have a variant too (the one they would have got).
    for (const name of ['A', 'B'])
      expect(await rows.filter({ has: page.getByRole('cell', { name, exact: true }) }).count()).toBe(
        messages.filter((m) => m.variant === name).length,
      );

    await page.getByRole('tab', { name: 'Report' }).click();
    await page.getByTestId('report-sent').waitFor();
    const t = report.totals as Record<string, number>;
    expect(await tile(page, 'sent')).toBe(en(t.sent ?? -1));
    expect(await tile(page, 'holdout')).toBe(en(t.holdout ?? -1));
    expect(await tile(page, 'conversions')).toBe(en(t.conversions ?? -1));
    expect(await tile(page, 'conversionRate')).toBe(pct(t.conversionRate ?? -1));
    expect(await tile(page, 'holdoutConversions')).toBe(en(t.holdoutConversions ?? -1));
    expect(await tile(page, 'holdoutConversionRate')).toBe(pct(t.holdoutConversionRate ?? -1));
    expect(await tile(page, 'revenue')).toBe(en(t.revenue ?? -1));
    expect(await tile(page, 'holdoutRevenue')).toBe(en(t.holdoutRevenue ?? -1));
    expect(await tile(page, 'uplift')).toBe(pts(t.uplift ?? -1));
    // Sixteen customers are far too few: the page says so, next to the interval the API computed.
    const { upliftLow, upliftHigh, minimumPerGroup } = report.confidence;
    const note = await page.getByTestId('report-confidence').innerText();
    expect(note).toContain(`Too few to trust yet: each group needs at least ${minimumPerGroup} messages`);
    if (upliftLow !== null && upliftHigh !== null)
      expect(note).toContain(
        `95% confidence interval of the uplift: ${points(upliftLow)} to ${pts(upliftHigh)}.`,
      );

    const variantTable = page.getByRole('table', { name: 'Per variant' });
    for (const v of report.variants) {
      const row = variantTable
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: v.name, exact: true }) });
      expect(await row.getByRole('cell').allInnerTexts()).toEqual(
        expect.arrayContaining([v.name, en(v.sent), en(v.conversions), pct(v.conversionRate)]),
      );
    }
    await page.getByRole('figure', { name: 'Sent, replies and conversions per day' }).waitFor();
    await screenshot(page, 'campaign-report-1280-en');
    expect(await seriousViolations(page)).toEqual([]);

    // Weekly: the chart follows the API's weekly series.
    const weekly: Report = await call('GET', `/campaigns/${campaign.id}/report?interval=week`);
    await page.getByLabel('Interval').selectOption('week');
    const figure = page.getByRole('figure', { name: 'Sent, replies and conversions per week' });
    await figure.waitFor();
    const weeklySent = weekly.series.reduce((sum, p) => sum + p.sent, 0);
    expect(weeklySent).toBe(report.totals.sent);
    expect(await figure.getByRole('img').getAttribute('aria-label')).toBe(
      `${weekly.series.length} periods: ${weeklySent} sent, ${weekly.series.reduce((s, p) => s + p.conversions, 0)} conversions`,
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows repeat purchases per month for reminded and held-out customers, as the API counts them', async () => {
    const { now } = await call('GET', '/_local/clock');
    const to = now.slice(0, 10);
    const from = `${to.slice(0, 7)}-01`;
    const answer = await call('GET', `/reports/repeat-purchases?from=${from}&to=${to}&interval=month`);
    expect(answer.items.length).toBeGreaterThan(0);
    // The second purchases of the report test are this client's only repeat purchases: each buyer
    // bought again after being reminded or held out, in the month of \`later\`.
    if (!outcome) throw new Error('the report test did not run');
    const month = answer.items.find(
      (i: { start: string }) => i.start.slice(0, 7) === outcome?.later.slice(0, 7),
    );
    expect(month?.reminded).toMatchObject({
      buyers: outcome.remindedBuyers,
      repeatBuyers: outcome.remindedBuyers,
    });
    expect(month?.heldOut).toMatchObject({
      buyers: outcome.heldOutBuyers,
      repeatBuyers: outcome.heldOutBuyers,
    });

    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Reports', exact: true }).click();
    const section = page.getByRole('region', { name: 'Repeat purchases' });
    await section.getByLabel('From').fill(from);
    await section.getByLabel('To').fill(to);
    const table = section.getByTestId('repeat-table');
    await table.waitFor();
    const bodyRows = table.locator('tbody tr');
    await expect.poll(() => bodyRows.count()).toBe(answer.items.length);
    const rate = (f: Figures) =>
      `${pct(f.repeatRate)} (${pct(f.repeatRateInterval.low)}–${pct(f.repeatRateInterval.high)})`;
    for (const [i, item] of (
      answer.items as { reminded: Figures; heldOut: Figures; uplift: number }[]
    ).entries()) {
      const cells = (await bodyRows.nth(i).getByRole('cell').allInnerTexts()).slice(1);
      expect(cells).toEqual([
        en(item.reminded.buyers),
        en(item.reminded.repeatBuyers),
        rate(item.reminded),
        en(item.heldOut.buyers),
        en(item.heldOut.repeatBuyers),
        rate(item.heldOut),
        pts(item.uplift),
      ]);
    }
    await screenshot(page, 'reports-repeat-1280-en');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the report, the variant editor and repeat purchases in Chinese', async () => {
    const campaign = (await call('GET', '/campaigns')).items.find(
      (c: { name: string }) => c.name === 'Grip check',
    );
    const context = await openContext(browser, 'phone', 'zh-CN');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer', { role: '角色', submit: '登录' });
    await page.goto(`${runtime.url}/#/campaigns/${campaign.id}`);
    await page.getByRole('tab', { name: '报表' }).click();
    await page.getByRole('heading', { name: '效果报表' }).waitFor();
    await page.getByRole('table', { name: '各版本' }).waitFor();
    await screenshot(page, 'campaign-report-390-zh');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${runtime.url}/#/campaigns/new`);
    await page.getByLabel('测试多个消息版本').check();
    await page.getByRole('group', { name: '版本 2' }).waitFor();
    await screenshot(page, 'campaign-variants-390-zh');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${runtime.url}/#/reports`);
    await page.getByRole('region', { name: '复购' }).getByTestId('repeat-table').waitFor();
    await screenshot(page, 'reports-repeat-390-zh');
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

interface Figures {
  buyers: number;
  repeatBuyers: number;
  repeatRate: number;
  repeatRateInterval: { low: number; high: number };
}

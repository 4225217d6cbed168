import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { collectErrors, openContext, screenshot, seriousViolations, signIn } from '../support/browser.ts';
import { type ConsoleFixture, startConsoleFixture } from '../support/console-fixture.ts';

let fixture: ConsoleFixture;
let runtime: LocalRuntime;
let browser: Browser;
let inbound = 0;

const call: ConsoleFixture['call'] = (method, path, body) => fixture.call(method, path, body);

/** A customer who bought a paddle, got the survey SMS a week later and answered it unhappily. */
const unhappyCustomer = async (name: string, phone: string) => {
  const customer = await call('POST', '/customers', {
    name,
    phone,
    consent: { sms: true },
    timezone: 'Asia/Shanghai',
  });
  const { now } = await call('POST', '/_local/clock', { advanceHours: 0.001 });
  await call('POST', '/purchases', {
    customerId: customer.id,
    purchasedAt: now,
    items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
  });
  await call('POST', '/_local/clock', { advanceDays: 8 });
  const sent = (await call('GET', `/_local/outbox?to=${encodeURIComponent(phone)}`)).items;
  expect(sent.length).toBeGreaterThan(0);
  const result = await call('POST', '/_local/sms/inbound', {
    originationNumber: phone,
    destinationNumber: '+12065550100',
    messageBody: '2 the grip came loose',
    inboundMessageId: `browser-${++inbound}`,
    previousPublishedMessageId: sent.at(-1).providerMessageId,
  });
  expect(result.outcome).toBe('scored');
  return customer;
};

const openTasksOnPhone = async (page: Page, labels: { menu: string; tasks: string }) => {
  await page.getByRole('button', { name: labels.menu }).click();
  await page.getByRole('navigation').getByRole('link', { name: labels.tasks }).click();
  // The menu folds away once a page is chosen, even the page already shown.
  await page.getByRole('navigation').waitFor({ state: 'hidden' });
};

beforeAll(async () => {
  fixture = await startConsoleFixture('console');
  ({ runtime, browser } = fixture);
  await call('PUT', '/products/PADDLE-PRO', {
    name: 'Pro paddle',
    category: 'table-tennis',
    lifespanDays: 180,
    careTips: 'Keep it dry.',
    price: 399,
  });
  const survey = await call('POST', '/campaigns', {
    name: 'Paddle survey',
    kind: 'lifecycle',
    channel: 'sms',
    survey: true,
    trigger: { products: { categories: ['table-tennis'] }, timing: { afterPurchaseDays: 7 } },
    message: { body: '{{customer.name}}, how is your {{product.name}}? Reply 1 satisfied, 2 unsatisfied.' },
  });
  await call('POST', `/campaigns/${survey.id}/activate`);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

const navNames = {
  en: ['Campaigns', 'Customers', 'Tasks', 'Satisfaction', 'Automation'],
  zh: ['营销活动', '客户', '任务', '满意度', '自动化'],
};

describe('the web console', () => {
  it('signs in as each role and shows the navigation the contract names', async () => {
    for (const role of ['admin', 'marketer', 'sales', 'service']) {
      const context = await openContext(browser, 'desktop');
      const page = await context.newPage();
      const errors = collectErrors(page);
      await signIn(page, runtime.url, role);
      const nav = page.getByRole('navigation');
      for (const name of navNames.en) await nav.getByRole('link', { name, exact: true }).waitFor();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await screenshot(page, `home-${role}-1280-en`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('lets a marketer create a campaign with a live preview and activate it', async () => {
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signIn(page, runtime.url, 'marketer');
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Paddle end of life');
    await page.getByLabel('Timing').selectOption('beforeLifespanEndDays');
    await page.getByLabel('Days', { exact: true }).fill('14');
    await page.getByLabel('Products (SKUs)').fill('PADDLE-PRO');
    await page
      .getByLabel('Body')
      .fill('{{customer.name}}, your {{product.name}} is due. {{product.careTips}}');
    await page
      .getByTestId('preview-body')
      .filter({ hasText: 'Li Lei, your Pro paddle is due. Keep it dry.' })
      .waitFor();
    await screenshot(page, 'campaign-editor-1280-en');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Paddle end of life' }).waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await screenshot(page, 'campaign-activated-1280-en');

    const campaigns = (await call('GET', '/campaigns')).items as {
      name: string;
      status: string;
      trigger: unknown;
    }[];
    const created = campaigns.find((c) => c.name === 'Paddle end of life');
    expect(created?.status).toBe('active');
    expect(created?.trigger).toEqual({
      products: { skus: ['PADDLE-PRO'] },
      timing: { beforeLifespanEndDays: 14 },
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a field error from the API next to the form without losing the input', async () => {
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, runtime.url, 'marketer');
    await page.goto(`${runtime.url}/#/campaigns/new`);
    await page.getByLabel('Name', { exact: true }).fill('Broken template');
    await page.getByLabel('Body').fill('{{#each}}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'message.body' }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Broken template');
    await context.close();
  });

  for (const [lang, labels] of [
    [
      'en',
      {
        locale: 'en-US',
        menu: 'Menu',
        tasks: 'Tasks',
        outcome: 'Outcome',
        complete: 'Complete',
        role: 'Role',
        submit: 'Sign in',
      },
    ],
    [
      'zh',
      {
        locale: 'zh-CN',
        menu: '菜单',
        tasks: '任务',
        outcome: '处理结果',
        complete: '完成',
        role: '角色',
        submit: '登录',
      },
    ],
  ] as const) {
    it(`lets service staff close a follow-up call on a phone (${lang})`, async () => {
      const phone = lang === 'en' ? '+8613900000001' : '+8613900000002';
      const customer = await unhappyCustomer(lang === 'en' ? 'Han Meimei' : '王芳', phone);
      const context = await openContext(browser, 'phone', labels.locale);
      const page = await context.newPage();
      const errors = collectErrors(page);
      await signIn(page, runtime.url, 'service', { role: labels.role, submit: labels.submit });
      await openTasksOnPhone(page, { menu: labels.menu, tasks: labels.tasks });
      const card = page.getByRole('listitem').filter({ hasText: customer.name });
      await card.waitFor();
      await screenshot(page, `follow-up-390-${lang}`);
      await card
        .getByLabel(labels.outcome)
        .fill(lang === 'en' ? 'Called; sending a new grip.' : '已致电，补寄新手柄。');
      await card.getByRole('button', { name: labels.complete, exact: true }).click();
      await card.waitFor({ state: 'detached' });
      await screenshot(page, `follow-up-done-390-${lang}`);

      const tasks = (await call('GET', `/tasks?customerId=${customer.id}`)).items as {
        status: string;
        outcome?: string;
      }[];
      expect(tasks).toHaveLength(1);
      expect(tasks[0]?.status).toBe('done');
      expect(tasks[0]?.outcome).toContain(lang === 'en' ? 'new grip' : '新手柄');
      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('switches to Chinese, and a Chinese browser starts in Chinese', async () => {
    const context = await openContext(browser, 'desktop');
    const page = await context.newPage();
    await page.goto(`${runtime.url}/`);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByLabel('角色').selectOption('marketer');
    await screenshot(page, 'sign-in-1280-zh');
    await page.getByRole('button', { name: '登录' }).click();
    const nav = page.getByRole('navigation');
    for (const name of navNames.zh) await nav.getByRole('link', { name, exact: true }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await context.close();

    const zhContext = await openContext(browser, 'desktop', 'zh-CN');
    const zhPage = await zhContext.newPage();
    await zhPage.goto(`${runtime.url}/`);
    await zhPage.getByRole('button', { name: '登录' }).waitFor();
    await zhContext.close();
  });

  it('has no serious or critical accessibility violations on any page, at either width', async () => {
    const customer = (await call('GET', '/customers')).items[0];
    const campaign = (await call('GET', '/campaigns')).items[0];
    const rule = await call('POST', '/automation-rules', {
      name: 'Beijing to Wang',
      on: 'customer.created',
      when: { region: ['Beijing'] },
      do: [{ type: 'assign', ownerId: 'u-wang' }],
    });
    await call('POST', '/customers', { name: 'Beijing walk-in', region: 'Beijing' });
    await call('POST', '/_local/settle');
    const pages = [
      ['campaigns', '/campaigns'],
      ['campaign-new', '/campaigns/new'],
      ['campaign-detail', `/campaigns/${campaign.id}`],
      ['customers', '/customers'],
      ['customer', `/customers/${customer.id}`],
      ['tasks', '/tasks'],
      ['satisfaction', '/satisfaction'],
      ['automation', '/automation'],
      ['rule', `/automation/${rule.id}`],
      ['dev', '/dev'],
    ] as const;
    const found: Record<string, unknown> = {};
    for (const viewport of ['desktop', 'phone'] as const) {
      for (const lang of ['en', 'zh'] as const) {
        // Every page in English at both widths; Chinese at both widths for the main pages.
        const context = await openContext(browser, viewport, lang === 'zh' ? 'zh-CN' : 'en-US');
        const page = await context.newPage();
        const errors = collectErrors(page);
        await page.goto(`${runtime.url}/`);
        const signInViolations = await seriousViolations(page);
        if (signInViolations.length) found[`sign-in ${viewport} ${lang}`] = signInViolations;
        await signIn(
          page,
          runtime.url,
          'admin',
          lang === 'zh' ? { role: '角色', submit: '登录' } : undefined,
        );
        for (const [name, path] of pages) {
          if (
            lang === 'zh' &&
            !['campaigns', 'campaign-detail', 'customer', 'tasks', 'satisfaction'].includes(name)
          )
            continue;
          await page.goto(`${runtime.url}/#${path}`);
          await page
            .getByRole('heading', { level: 1 })
            .first()
            .waitFor({ timeout: 10_000 })
            .catch(() => {
              throw new Error(`${name} (${viewport}, ${lang}) shows no heading: ${errors.join('; ')}`);
            });
          await page.waitForLoadState('networkidle');
          await page
            .getByText(/Loading…|加载中…/)
            .first()
            .waitFor({ state: 'detached' })
            .catch(() => undefined);
          const violations = await seriousViolations(page);
          if (violations.length) found[`${name} ${viewport} ${lang}`] = violations;
          // Usable on a phone means nothing forces sideways scrolling.
          const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
          if ((overflow as number) > 0)
            found[`${name} ${viewport} ${lang} overflow`] = `${overflow}px too wide`;
          await screenshot(page, `${name}-${viewport === 'desktop' ? 1280 : 390}-${lang}`);
        }
        expect(errors).toEqual([]);
        await context.close();
      }
    }
    expect(found).toEqual({});
  }, 180_000);
});

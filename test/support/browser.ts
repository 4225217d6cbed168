import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); no browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchBrowser = (): Promise<Browser> => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/** A fresh context (no stored session or language) at a width and browser language. */
export const openContext = (
  browser: Browser,
  viewport: keyof typeof viewports,
  locale: 'en-US' | 'zh-CN' = 'en-US',
): Promise<BrowserContext> =>
  browser.newContext({
    viewport: viewports[viewport],
    locale,
    timezoneId: 'Europe/Berlin',
    ...(viewport === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });

/** Every page error and console error, so a test can assert the console ran cleanly (CSP included). */
export const collectErrors = (page: Page) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (40[134])/.test(message.text()))
      errors.push(message.text());
  });
  return errors;
};

export const screenshotDir = join(import.meta.dirname, '../../test-artifacts/screenshots');

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (injected through the DevTools protocol, so the page's CSP does not
 * block it) and returns the serious and critical violations.
 */
export const seriousViolations = async (page: Page): Promise<AxeViolation[]> => {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  const results = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: AxeViolation[];
  };
  return (results.violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
};

/** Signs in through the local sign-in page by its labels, as a user would. */
export const signIn = async (
  page: Page,
  baseUrl: string,
  role: string,
  labels = { role: 'Role', submit: 'Sign in' },
) => {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(labels.role).selectOption(role);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.getByRole('banner').waitFor();
};

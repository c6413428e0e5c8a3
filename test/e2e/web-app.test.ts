import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/chromium';
import { startTestStack, type TestStack } from '#test/local-stack';

/** Committed: the README's sections per person show these. */
// The README's screenshots are refreshed with `UPDATE_SCREENSHOTS=1 npm run test:e2e`; an ordinary run writes its
// own under .merit/ (git-ignored), so a run leaves the tree clean though share tokens and ports differ every time.
const screenshots = join(
  import.meta.dirname,
  '..',
  '..',
  ...(process.env['UPDATE_SCREENSHOTS'] === '1' ? ['docs', 'screenshots'] : ['.merit', 'screenshots']),
);

/** The web app at /app/ over the local stack, in headless Chromium at 390 px wide (DESIGN §10). */
describe('the web app in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let adminToken: string;
  let credentialId: string;
  /** Every URL any page of this suite requested: none may leave the stack's origin. */
  const requested: string[] = [];

  const newContext = async (): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    context.on('request', (request) => requested.push(request.url()));
    return context;
  };

  /** axe-core's WCAG 2.1 A and AA rules on the page as it is now; answers the violations' ids. */
  const axeViolations = async (page: Page): Promise<string[]> => {
    // Evaluated through the DevTools protocol, not as a <script>: the app's CSP (rightly) refuses inline scripts.
    await page.evaluate(axe.source);
    return page.evaluate(async () => {
      const runner = (globalThis as unknown as { axe: typeof axe }).axe;
      const results = await runner.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    });
  };

  const expectAccessiblePage = async (page: Page) => {
    await page.locator('main h1').waitFor();
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('main h1').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  };

  /** Waits (as a person would look) until the element reads this text. */
  const shows = async (locator: Locator, text: string, match: 'exactly' | 'contains' = 'exactly') => {
    await locator.first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => ((await locator.first().textContent()) ?? '').trim(), { timeout: 15_000 })
      [match === 'exactly' ? 'toBe' : 'toContain'](text);
  };

  const post = <T>(path: string, body: unknown): Promise<T> => stack.postJson<T>(path, body, adminToken);

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    adminToken = await stack.tokenFor({ sub: 'web-admin', role: 'admin' });
    const achievements = (await (await stack.call('/achievements?limit=100', { token: adminToken })).json()) as {
      items: Array<{ id: string; code?: string }>;
    };
    const osha = achievements.items.find((item) => item.code === 'OSHA-10-CONSTRUCTION')!;
    const student = (await (await stack.call('/learners?sourcedId=DEMO-STUDENT-13', { token: adminToken })).json()) as {
      items: Array<{ id: string }>;
    };
    credentialId = (await post<{ id: string }>('/credentials', { learnerId: student.items[0]!.id, achievementId: osha.id })).id;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it('prints a sign-in link per demo person, and the app is served with a strict CSP and cache headers', async () => {
    // Act
    const page = await fetch(`${stack.app.url}verify`);
    const script = /src="(\/app\/main-[A-Z0-9]+\.js)"/.exec(await page.text())?.[1];
    const bundle = await fetch(`${stack.url}${script}`);

    // Assess
    expect(stack.app.signInLinks.map((link) => new URL(link.url).searchParams.get('login_hint'))).toEqual([
      'demo-admin',
      'demo-teacher',
      'demo-student',
      'demo-guardian',
    ]);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`connect-src 'self' ${new URL(stack.config.s3Endpoint).origin}`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('publishes OpenID discovery whose tokens the API accepts, and POST /local/token still works', async () => {
    // Act
    const discovery = (await (await stack.call('/local/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    const legacy = await stack.tokenFor({ sub: 'legacy-user', role: 'viewer' });

    // Assess
    expect(discovery['issuer']).toBe(`${stack.url}/local`);
    expect(discovery['code_challenge_methods_supported']).toEqual(['S256']);
    expect(discovery['token_endpoint']).toBe(`${stack.url}/local/oauth/token`);
    expect((await stack.call('/learners?sourcedId=X', { token: legacy })).status).toBe(200);
  });

  it('signs the student in by login_hint; they share a credential, the link opens anonymously, withdrawing makes it 404', async () => {
    // Prepare
    const context = await newContext();
    const page = await context.newPage();

    // Act: sign in without a form
    await page.goto(`${stack.app.url}?login_hint=demo-student`);
    await shows(page.locator('#subject'), 'demo-student');
    expect(
      await page.evaluate(() =>
        Object.keys((globalThis as unknown as { localStorage: Record<string, string> }).localStorage).filter(
          (key) => key !== 'merit.language',
        ),
      ),
    ).toEqual([]);
    await page.getByRole('link', { name: 'My credentials' }).click();
    await shows(page.locator('.card h2'), 'OSHA 10-Hour Construction');
    await shows(page.locator('[data-state]'), 'Valid');
    await expectAccessiblePage(page);
    await page.getByRole('button', { name: 'Share' }).press('Enter');
    const shareUrl = await page.locator('.share-url').inputValue();
    await page.getByRole('img', { name: 'QR code of the share link' }).waitFor();
    await expectAccessiblePage(page);
    await page.screenshot({ path: join(screenshots, 'student-credentials.png'), fullPage: true });

    // Assess: the link opens in a browser context with no session
    const anonymous = await newContext();
    const shared = await anonymous.newPage();
    expect((await shared.goto(shareUrl))?.status()).toBe(200);
    await shows(shared.locator('#status'), 'Valid');
    await page.getByRole('button', { name: 'Withdraw link' }).click();
    await page.getByRole('status').filter({ hasText: 'withdrawn' }).waitFor();
    expect((await shared.goto(shareUrl))?.status()).toBe(404);

    // Spanish, remembered from ?lang=es
    await page.goto(`${stack.app.url}credentials?lang=es`);
    await shows(page.locator('h1'), 'Mis credenciales');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await expectAccessiblePage(page);
    await page.goto(`${stack.app.url}credentials`);
    await shows(page.locator('h1'), 'Mis credenciales');

    // Sign out: the session is gone and the app says so
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await shows(page.getByRole('status'), 'You are signed out.');
    await expectAccessiblePage(page);
    await context.close();
    await anonymous.close();
  });

  it('signs someone in through the pick form when there is no hint', async () => {
    // Prepare
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(stack.app.url);
    await expectAccessiblePage(page);

    // Act
    await page.locator('main').getByRole('button', { name: 'Sign in' }).click();
    await shows(page.locator('h1'), 'Sign in to Merit (local)');
    await expectAccessiblePage(page);
    await page.screenshot({ path: join(screenshots, 'local-sign-in.png'), fullPage: true });
    await page.getByRole('radio', { name: /Teacher, Riverside High School/ }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Assess
    await shows(page.locator('#subject'), 'demo-teacher');
    await context.close();
  });

  it('lets an admissions officer drop the baked PNG on /app/verify and read "valid", then "revoked"', async () => {
    // Prepare
    const png = Buffer.from(await (await stack.call(`/credentials/${credentialId}?format=png`, { token: adminToken })).arrayBuffer());
    const context = await newContext();
    const page = await context.newPage();
    const drop = async () => {
      const dataTransfer = await page.evaluateHandle((base64) => {
        // In the page: the DOM's DataTransfer and File, as a real drag and drop of a file carries.
        const dom = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
        };
        const transfer = new dom.DataTransfer();
        transfer.items.add(new dom.File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'badge.png', { type: 'image/png' }));
        return transfer;
      }, png.toString('base64'));
      await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer });
    };

    // Act
    await page.goto(`${stack.app.url}verify`);
    await expectAccessiblePage(page);
    await drop();

    // Assess
    await shows(page.locator('#verdict'), 'This credential is valid.');
    await shows(page.locator('#credential-name'), 'OSHA 10-Hour Construction');
    await shows(page.locator('[data-check="proof"]'), 'Passed', 'contains');
    await expectAccessiblePage(page);
    await page.screenshot({ path: join(screenshots, 'admissions-verify-valid.png'), fullPage: true });

    // Act: the issuer revokes; the same image is checked again, in Spanish
    await post(`/credentials/${credentialId}/revoke`, { reason: 'Issued in error' });
    await page.goto(`${stack.app.url}verify?lang=es`);
    await drop();

    // Assess
    await shows(page.locator('#verdict'), 'El emisor ha revocado esta credencial.');
    await shows(page.locator('[data-check="status"]'), 'Falló', 'contains');
    await expectAccessiblePage(page);
    await page.screenshot({ path: join(screenshots, 'admissions-verify-revoked-es.png'), fullPage: true });
    await context.close();
  });

  it('never requested anything outside the stack’s origin', () => {
    // Assess
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${stack.url}/`))).toEqual([]);
  });
});

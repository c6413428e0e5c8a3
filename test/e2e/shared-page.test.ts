import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/chromium';
import { startTestStack, type TestStack } from '#test/local-stack';

const screenshots = join(import.meta.dirname, '__screenshots__');

/** The public verification page behind a share link, as a person on a phone sees it. */
describe('the shared credential page in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let adminToken: string;
  let credentialId: string;
  let learnerId: string;
  let shareUrl: string;
  let shareToken: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startTestStack();
    browser = await launchChromium();
    adminToken = await stack.tokenFor({ sub: 'page-admin', role: 'admin' });
    const post = <T>(path: string, body: unknown): Promise<T> => stack.postJson<T>(path, body, adminToken);
    const achievements = (await (await stack.call('/achievements?limit=100', { token: adminToken })).json()) as {
      items: Array<{ id: string; code?: string }>;
    };
    const osha = achievements.items.find((item) => item.code === 'OSHA-10-CONSTRUCTION')!;
    learnerId = (
      await post<{ id: string }>('/learners', {
        sourcedId: 'PAGE-1',
        schoolId: 'hs',
        givenName: 'Aaliyah',
        familyName: 'Johnson',
        birthDate: '2009-07-02',
        role: 'student',
      })
    ).id;
    credentialId = (await post<{ id: string }>('/credentials', { learnerId, achievementId: osha.id })).id;
    const share = await post<{ url: string; token: string }>(`/credentials/${credentialId}/shares`, { expiresInDays: 30 });
    shareUrl = share.url;
    shareToken = share.token;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const open = async (name: string) => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const response = await page.goto(shareUrl);
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    return { page, response, requests };
  };

  it('renders the credential without JavaScript and without any third-party request', async () => {
    // Act
    const { page, response, requests } = await open('shared-valid');

    // Assess
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('OSHA 10-Hour Construction');
    await expect(page.locator('#learner').textContent()).resolves.toBe('Aaliyah Johnson');
    await expect(page.locator('#issuer').textContent()).resolves.toBe('Riverside High School');
    await expect(page.locator('#status').textContent()).resolves.toBe('Valid');
    await expect(page.getByText('Download the credential (JSON)').getAttribute('href')).resolves.toContain(
      `/shared/${shareToken}?format=json`,
    );
    expect(requests.every((url) => url.startsWith(stack.url))).toBe(true);
    await page.close();
  });

  it('shows "Revoked" after a revocation', async () => {
    // Prepare
    await stack.call(`/credentials/${credentialId}/revoke`, {
      method: 'POST',
      token: adminToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Test of the page' }),
    });

    // Act
    const { page } = await open('shared-revoked');

    // Assess
    await expect(page.locator('#status').textContent()).resolves.toBe('Revoked');
    await page.close();
  });

  it('is gone (404) once the link is withdrawn', async () => {
    // Prepare
    await stack.call(`/credentials/${credentialId}/shares/${shareToken}`, { method: 'DELETE', token: adminToken });

    // Act
    const { response, page } = await open('shared-withdrawn');

    // Assess
    expect(response?.status()).toBe(404);
    await page.close();
  });

  it('is gone (404) once the learner is deleted', async () => {
    // Prepare: a fresh link, then the learner deleted
    const share = (await (await stack.call(`/credentials/${credentialId}/shares`, { method: 'POST', token: adminToken })).json()) as {
      url?: string;
    };
    expect(share.url).toBeUndefined(); // a revoked credential cannot be shared any more
    const learner2 = (await (
      await stack.call('/learners', {
        method: 'POST',
        token: adminToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          sourcedId: 'PAGE-2',
          schoolId: 'hs',
          givenName: 'Mateo',
          familyName: 'García',
          birthDate: '2008-04-10',
          role: 'student',
        }),
      })
    ).json()) as { id: string };
    const achievements = (await (await stack.call('/achievements?limit=100', { token: adminToken })).json()) as {
      items: Array<{ id: string; code?: string }>;
    };
    const issued = (await (
      await stack.call('/credentials', {
        method: 'POST',
        token: adminToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ learnerId: learner2.id, achievementId: achievements.items.find((a) => a.code === 'CS-PYTHON-1')!.id }),
      })
    ).json()) as { id: string };
    const link = (await (await stack.call(`/credentials/${issued.id}/shares`, { method: 'POST', token: adminToken })).json()) as {
      url: string;
    };
    expect((await fetch(link.url)).status).toBe(200);
    await stack.call(`/learners/${learner2.id}`, { method: 'DELETE', token: adminToken });

    // Act
    const page = await browser.newPage({ javaScriptEnabled: false });
    const response = await page.goto(link.url);
    await page.screenshot({ path: join(screenshots, 'shared-learner-deleted.png') });

    // Assess
    expect(response?.status()).toBe(404);
    await page.close();
  });
});

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HOSTILE_NAME, WIDEBAND_VOICE } from './extras.ts';
import { launchChromium, screenshot, SKIP_BROWSER, watchedContext, type BrowserSession, type Watch } from './browser.ts';
import { verifyArchives } from '../../src/services/archive.ts';
import { syncedStore, type SyncedStore } from './fixture.ts';
import { HOSTILE_CONVERSATION, HOSTILE_TEXTS, INJECTED_SELECTOR, LONG_CONVERSATION, LONG_COUNT } from './hostile.ts';
import {
  customerWithConversations, customerWithFollowers, expireOneImage, messageOfType, messageWithMedia, recalledMessage, searchableWord,
} from './queries.ts';
import { listAudit } from '../../src/services/audit.ts';
import { startServer, type RunningServer } from './serve.ts';

/**
 * The UI in Debian's chromium over a real server and a store synced from the sandbox: every page,
 * a conversation and its voice and image, a search and its hit, hostile content, language and
 * keyboard; signed in as an admin through the login page, then as a manager who is refused another
 * department's conversation. A screenshot of each page is kept in test-artifacts/ui/.
 */

// A browser, a sandbox sync and a server: tens of seconds on a shared machine, not a timing check.
/** The parts of an <audio> the walk reads (the test is compiled without the DOM's types). */
interface AudioLike {
  duration: number;
  currentTime: number;
  play(): Promise<void>;
  addEventListener(type: string, listener: (value: unknown) => void, options: { once: boolean }): void;
}

vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

describe.skipIf(SKIP_BROWSER)('web UI in a browser', () => {
  let store: SyncedStore;
  let server: RunningServer;
  let chromium: BrowserSession;
  let context: BrowserContext;
  let watch: Watch;
  let page: Page;
  const go = async (path: string) => {
    await page.goto(`${server.url}${path}`);
  };
  const purpose = async (text = '合规抽查 UI 测试') => {
    const field = page.getByLabel('目的（自由填写）');
    await field.waitFor();
    await field.fill(text);
    await page.getByRole('button', { name: '确认并查看' }).click();
  };
  const signIn = async (login: { name: string; password: string }) => {
    await go('/login');
    await page.getByLabel('用户名').fill(login.name);
    await page.getByLabel('密码').fill(login.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText(`${login.name}（`).waitFor();
  };

  beforeAll(async () => {
    store = await syncedStore();
    server = await startServer(store);
    chromium = await launchChromium();
    ({ context, watch } = await watchedContext(chromium.browser, server.url, {}));
    page = await context.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await store?.close();
  });

  it('serves index.html for deep links with a strict CSP, refuses a wrong password, and signs an admin in', async () => {
    const response = await page.goto(`${server.url}/login`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    expect(response!.headers()['referrer-policy']).toBe('no-referrer');
    await page.getByLabel('用户名').fill('nobody');
    await page.getByLabel('密码').fill('wrong');
    await screenshot(page, '01-login');
    // Keyboard: from the name field, Tab reaches the password, then the button.
    await page.getByLabel('用户名').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('login-password');
    await page.keyboard.press('Enter');
    // The server's own words: the same for an unknown name and a wrong password.
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('用户名或密码错误');
    await screenshot(page, '01-login-refused');
    // A deep link asked for before signing in is where the sign-in lands.
    await go('/search');
    await page.waitForURL(/\/login\?next=%2Fsearch/);
    await page.getByLabel('用户名').fill(server.admin.name);
    await page.getByLabel('密码').fill(server.admin.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(/\/search$/);
    await page.getByText(`${server.admin.name}（管理员）`).waitFor();
  });

  it('browses by employee: a purpose is asked before any message, then the conversation shows', async () => {
    await go('/browse/employee');
    await page.locator('.people .list-item').first().click();
    await page.locator('.conversations .list-item').first().click();
    await expect.poll(() => page.locator('.purpose').count()).toBe(1);
    expect(await page.locator('.message').count()).toBe(0);
    await screenshot(page, '02-purpose');
    await purpose();
    await page.locator('.message').first().waitFor();
    await screenshot(page, '03-browse-employee');
  });

  it('plays a voice message: decoded in the browser, its duration above 0, playback advancing', async () => {
    const voice = await messageWithMedia(store, 'voice');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await go(`/conversations/${encodeURIComponent(voice.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(voice.msgid)}`);
    const row = page.locator(`[data-msgid="${voice.msgid}"]`);
    await row.waitFor();
    expect(requests.some((url) => /\/assets\/amr-/.test(url))).toBe(false);
    await row.locator('button.voice').click();
    const audio = row.locator('audio');
    await audio.waitFor();
    expect(requests.some((url) => /\/assets\/amr-/.test(url))).toBe(true);
    const duration = await audio.evaluate(async (el: AudioLike) => {
      if (!Number.isFinite(el.duration) || el.duration === 0) await new Promise((r) => el.addEventListener('loadedmetadata', r, { once: true }));
      return el.duration;
    });
    expect(duration).toBeGreaterThan(0);
    // At least the length the message states (the sandbox pads voice files to their stated size
    // with more frames, so it can decode longer: see the report).
    const playLength = Number(/"play_length":\s*(\d+)/.exec(voice.raw)?.[1] ?? NaN);
    if (Number.isFinite(playLength)) expect(duration).toBeGreaterThanOrEqual(playLength - 1);
    await audio.evaluate((el: AudioLike) => el.play());
    await expect.poll(() => audio.evaluate((el: AudioLike) => el.currentTime), { timeout: 20_000 }).toBeGreaterThan(0.2);
    await screenshot(page, '04-voice');
  });

  it('offers a voice message the decoder cannot read (AMR-WB) as a labelled download', async () => {
    await go(`/conversations/${encodeURIComponent(WIDEBAND_VOICE.conversationId)}?corp=${store.corpId}&at=${WIDEBAND_VOICE.msgid}`);
    const row = page.locator(`[data-msgid="${WIDEBAND_VOICE.msgid}"]`);
    await row.locator('button.voice').click();
    await row.locator('.voice.unsupported').waitFor();
    expect(await row.locator('.voice.unsupported').innerText()).toContain('AMR-WB');
    expect(await row.locator('.voice.unsupported a[download]').count()).toBe(1);
  });

  it('plays a video and downloads a file from its bubble', async () => {
    const video = await messageWithMedia(store, 'video');
    await go(`/conversations/${encodeURIComponent(video.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(video.msgid)}`);
    const row = page.locator(`[data-msgid="${video.msgid}"]`);
    await row.locator('button.media-load').click();
    // It plays, or (a codec chromium lacks: the sandbox's clip is MPEG-4 Part 2) it is offered as a download.
    const playable = row.locator('video');
    const fallback = row.locator('.video.unsupported a[download]');
    await playable.or(fallback).first().waitFor();
    await expect.poll(async () => (await fallback.count()) > 0
      || (await playable.evaluate((el: { duration: number }) => el.duration).catch(() => 0)) > 0, { timeout: 20_000 }).toBe(true);
    const file = await messageWithMedia(store, 'file');
    const filename = /"filename"\s*:\s*"([^"]+)"/.exec(file.raw)![1]!;
    await go(`/conversations/${encodeURIComponent(file.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(file.msgid)}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`[data-msgid="${file.msgid}"] button.download`).click(),
    ]);
    expect(download.suggestedFilename()).toBe(filename);
  });

  it('opens an image inline and zooms it', async () => {
    const image = await messageWithMedia(store, 'image');
    await go(`/conversations/${encodeURIComponent(image.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(image.msgid)}`);
    const thumb = page.locator(`[data-msgid="${image.msgid}"] img.thumb`);
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await thumb.click();
    await page.locator('dialog.zoom[open] img').waitFor();
    await screenshot(page, '05-image-zoom');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.zoom[open]').count()).toBe(0);
  });

  it('searches, then opens the hit in its conversation, highlighted, with messages on both sides', async () => {
    const word = await searchableWord(store);
    await go('/search');
    await page.getByLabel('搜索内容').fill(word);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    const hit = page.locator('.hit-link').first();
    await hit.waitFor();
    await screenshot(page, '06-search');
    const href = (await hit.getAttribute('href'))!;
    const msgid = new URL(href, server.url).searchParams.get('at')!;
    await hit.click();
    await page.locator(`.message.highlighted[data-msgid="${msgid}"]`).waitFor();
    // A hit in the middle of a long conversation: the messages just before and after it are there too.
    await go(`/search?q=${encodeURIComponent('第 200 条消息')}`);
    await page.locator('.hit-link').first().click();
    const highlighted = page.locator('.message.highlighted[data-msgid="long-200"]');
    await highlighted.waitFor();
    await expect.poll(() => highlighted.isVisible()).toBe(true);
    for (const beside of ['long-199', 'long-201']) await page.locator(`[data-msgid="${beside}"]`).waitFor();
    await screenshot(page, '07-search-hit');
  });

  it('keeps every hostile string inert: shown as text, no dialog, no injected element, no javascript: link', async () => {
    await go(`/conversations/${encodeURIComponent(HOSTILE_CONVERSATION)}?corp=${store.corpId}`);
    await page.locator('.message').first().waitFor();
    const list = page.locator('.vl');
    // The list renders only the rows near the view: look at the top, then at the end.
    await list.evaluate((el) => { el.scrollTop = 0; });
    await page.locator('[data-msgid="hostile-0"]').waitFor();
    expect(await list.innerText()).toContain(HOSTILE_TEXTS[0]!.slice(0, 30));
    expect(await page.locator(INJECTED_SELECTOR).count()).toBe(0);
    const width = await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })') as { scroll: number; inner: number };
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    await screenshot(page, '08-hostile');
    await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.locator('[data-msgid="hostile-25"]').waitFor();
    for (const button of await page.locator('.nested-toggle[aria-expanded="false"]').all()) await button.click();
    await page.locator('.nested-items').first().waitFor();
    // A file name's RLO is shown as what it is, not obeyed (fdp.exe must not read as exe.pdf).
    expect(await page.locator('[data-msgid="hostile-22"] .file-name').innerText()).toContain('[U+202E]');
    expect(await page.locator('a[href^="javascript" i]').count()).toBe(0);
    for (const link of await page.locator('a.external').all()) {
      expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(await page.locator('[data-msgid="hostile-20"] .url.inert').count()).toBe(1);
    expect(await page.locator('[data-msgid="hostile-25"] .url.inert').count()).toBe(1);
    expect(await page.locator(INJECTED_SELECTOR).count()).toBe(0);
    await screenshot(page, '09-hostile-end');
    expect(watch.dialogs).toEqual([]);
  });

  it('pages a long conversation both ways around a message, rendering only the rows near the view', async () => {
    await go(`/conversations/${encodeURIComponent(LONG_CONVERSATION)}?corp=${store.corpId}&at=long-200`);
    await page.locator('.message.highlighted[data-msgid="long-200"]').waitFor();
    const list = page.locator('.vl');
    const loadedRange = () => list.evaluate((el) => [...el.querySelectorAll('[data-msgid]')].map((n) => n.getAttribute('data-msgid')!).sort());
    // Scroll to the top until the first message is there, then to the bottom until the last is.
    for (const [edge, id] of [['top', 'long-000'], ['bottom', `long-${LONG_COUNT - 1}`]] as const) {
      await expect.poll(async () => {
        await list.evaluate((el, to) => { el.scrollTop = to === 'top' ? 0 : el.scrollHeight; }, edge);
        return (await loadedRange()).includes(id);
      }, { timeout: 30_000 }).toBe(true);
    }
    const rendered = (await loadedRange()).length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(80);
    await expect.poll(() => page.locator('.edge').allInnerTexts()).toContain('已是最新');
    await screenshot(page, '17-long-conversation');
  });

  it('shows consent inline as system lines, and a recalled message marked beside the original', async () => {
    for (const type of ['agree', 'disagree']) {
      const consent = await messageOfType(store, type);
      await go(`/conversations/${encodeURIComponent(consent.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(consent.msgid)}`);
      await page.locator(`.message.system[data-msgid="${consent.msgid}"] .system-line`).waitFor();
    }
    // The customer who refused has it in their consent history (customer 360).
    const refusal = await messageOfType(store, 'disagree');
    const refuser = refusal.conversationId.split('|').find((id) => /^w[mo]/.test(id))!;
    await go(`/customers/${encodeURIComponent(refuser)}`);
    await page.locator('.consent li.consent-disagree').first().waitFor();
    await screenshot(page, '19-customer-consent');
    const recalled = await recalledMessage(store);
    await go(`/conversations/${encodeURIComponent(recalled.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(recalled.msgid)}`);
    await page.locator(`[data-msgid="${recalled.msgid}"] .recall-mark`).waitFor();
    await screenshot(page, '18-recall');
  });

  it('works from the keyboard: the lists are links in tab order, focus is visible', async () => {
    await go('/browse/customer');
    await page.locator('.people .list-item').first().waitFor();
    await page.locator('#people-filter').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate('document.activeElement && document.activeElement.className');
    expect(focused).toContain('list-item');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL(/who=/);
    await page.locator('.conversations .list-item, .conversations .empty').first().waitFor();
  });

  it('shows a customer\'s hostile name, remark and tag as text', async () => {
    await go(`/customers/${encodeURIComponent(store.hostileCustomer)}`);
    await page.locator('.customer-page table').waitFor();
    expect(await page.locator('.customer-page h1').innerText()).toContain('<img src=x');
    expect(await page.locator(INJECTED_SELECTOR).count()).toBe(0);
    const width = await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })') as { scroll: number; inner: number };
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    await screenshot(page, '20-hostile-customer');
    await go(`/browse/customer?who=${encodeURIComponent(store.hostileCustomer)}`);
    await page.getByText(HOSTILE_NAME.slice(0, 12)).first().waitFor();
    expect(await page.locator(INJECTED_SELECTOR).count()).toBe(0);
  });

  it('says when media expired', async () => {
    const expired = await expireOneImage(store);
    await go(`/conversations/${encodeURIComponent(expired.conversationId)}?corp=${store.corpId}&at=${encodeURIComponent(expired.msgid)}`);
    await page.locator(`[data-msgid="${expired.msgid}"] [data-media-state="expired"]`).waitFor();
  });

  it('shows customer 360, an employee, health and the audit log page', async () => {
    const customer = await customerWithFollowers(store);
    await go(`/customers/${encodeURIComponent(customer)}`);
    await page.locator('.customer-page table').waitFor();
    await screenshot(page, '10-customer');
    const employee = page.locator('.customer-page tbody a').first();
    await employee.click();
    await page.locator('.employee-page .facts').waitFor();
    await screenshot(page, '11-employee');
    // A verify run elsewhere (the CLI here) is the health page's last verify, without pressing anything.
    await verifyArchives(store.runtime, {});
    await go('/health');
    await page.locator('.health-page table').waitFor();
    await expect.poll(() => page.locator('.verify-list li.ok').innerText()).toContain('哈希链完整');
    await screenshot(page, '12-health');
    await go(`/browse/customer?who=${encodeURIComponent(await customerWithConversations(store))}`);
    await page.locator('.conversations .list-item').first().waitFor();
    await screenshot(page, '14-browse-customer');
    await go('/browse/group');
    await page.locator('.people .list-item').first().click();
    await page.locator('.message').first().waitFor();
    await screenshot(page, '15-browse-group');
  });

  it('switches to English and keeps it after a reload', async () => {
    await go('/search');
    await page.getByRole('button', { name: '切换到英文' }).click();
    await page.getByRole('link', { name: 'Search' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Health' }).waitFor();
    await screenshot(page, '16-english');
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
  });

  it('lists the admin\'s own views in the audit log page, with the purpose stated', async () => {
    await go('/audit?action=conversation.view');
    const rows = page.locator('.audit-page tbody tr');
    await rows.first().waitFor();
    const first = await rows.first().innerText();
    expect(first).toContain(`user:${server.admin.name}`);
    expect(first).toContain('合规抽查 UI 测试');
    expect(first).toContain('查看会话');
    expect(await page.locator('#a-action').inputValue()).toBe('conversation.view');
    await screenshot(page, '13-audit');
    // A search's row says what was searched.
    await go('/audit?action=search');
    await rows.first().waitFor();
    expect(await rows.first().innerText()).toMatch(/搜索\s[\s\S]*“[^”]+”/);
    // Each step of the walk left its row: the sign-ins (the refused one too), the purpose, the
    // conversations, the search, the media files opened.
    const response = await page.request.get(`${server.url}/api/v1/audit?limit=1000`);
    expect(response.status()).toBe(200);
    const audit = (await response.json()) as { rows: Array<{ actor: string; action: string; result: string; purpose: string | null }> };
    const seen = new Set(audit.rows.map((row) => `${row.actor} ${row.action} ${row.result}`));
    for (const step of ['login ok', 'purpose ok', 'conversation.view ok', 'search ok', 'media.open ok']) {
      expect(seen, step).toContain(`user:${server.admin.name} ${step}`);
    }
    expect(audit.rows.some((row) => row.action === 'login' && row.result !== 'ok')).toBe(true);
    for (const row of audit.rows.filter((r) => ['conversation.view', 'search', 'media.open'].includes(r.action))) {
      expect(row.purpose, `${row.action} without its purpose`).toBe('合规抽查 UI 测试');
    }
  });

  it('signs out, and a manager sees no admin page and is refused another department\'s conversation', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    await signIn(server.manager);
    expect(await page.getByRole('link', { name: '审计日志' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '运行状况' }).count()).toBe(0);
    await go(`/conversations/${encodeURIComponent(server.manager.outOfScope)}?corp=${store.corpId}`);
    await purpose('经理复核');
    await page.locator('.error').getByText('无权访问').waitFor();
    expect(await page.locator('.message').count()).toBe(0);
    await screenshot(page, '21-manager-forbidden');
    const refused = (await listAudit(store.runtime, { actor: `user:${server.manager.name}`, action: 'conversation.view' })).rows;
    expect(refused.map((row) => [row.result, row.purpose])).toContainEqual(['denied', '经理复核']);
    // The health page by its address: refused once, with nothing to press.
    await go('/health');
    await page.locator('.health-page .error').first().waitFor();
    expect(await page.locator('.health-page .error').count()).toBe(1);
    expect(await page.locator('.health-page button').count()).toBe(0);
    // Their own department's conversations are listed.
    await go('/browse/employee');
    await page.locator('.people .list-item').first().waitFor();
  });

  it('made no request off its origin, no CSP violation and no page error', () => {
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });
});

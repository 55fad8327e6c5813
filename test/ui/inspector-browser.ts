import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { waitFor } from '../../src/wait-for.js';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Under CI load a browser round trip can take seconds; a deadline, not a sleep. */
export const UI_TIMEOUT_MS = 15_000;

/**
 * Chromium (Debian's, through playwright-core: no browser download) on the inspector. The emulator's
 * certificate is self-signed for the test, so the context accepts it; every request that leaves the
 * emulator's origin is refused and recorded (the page must be self-contained), and the bodies of the
 * control-plane answers the page read are kept, to show that none carries a key.
 */
export class InspectorBrowser {
  readonly outsideRequests: string[] = [];
  readonly answeredBodies: string[] = [];

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly userDataDir: string,
  ) {}

  static async open(origin: string): Promise<InspectorBrowser> {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const userDataDir = mkdtempSync(join(tmpdir(), 'inspector-ui-'));
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ignoreHTTPSErrors: true, viewport: { width: 1400, height: 900 } });
    const browser = new InspectorBrowser(context, context.pages()[0] ?? (await context.newPage()), userDataDir);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      browser.outsideRequests.push(url);
      return route.abort();
    });
    context.on('response', (response) => {
      if (response.url().endsWith('/_emulator/events')) return;
      void response.text().then((text) => browser.answeredBodies.push(text), () => undefined);
    });
    await browser.page.goto(`${origin}/_emulator/ui/`, { waitUntil: 'load' });
    return browser;
  }

  testId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Waits until the locator's text matches (Playwright re-checks on every DOM change), or fails saying what it showed. */
  async waitForText(locator: Locator, expected: RegExp, what: string): Promise<void> {
    try {
      await locator.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    } catch {
      const shown = await locator.allInnerTexts().catch(() => []);
      assert.fail(`Timed out after ${UI_TIMEOUT_MS} ms waiting for ${what} to show ${String(expected)}; it showed: ${JSON.stringify(shown)}`);
    }
  }

  /** With INSPECTOR_SCREENSHOTS=1: the view as docs/images/inspector-<name>.png, for docs/inspector.md. */
  async screenshot(name: string): Promise<void> {
    if (process.env.INSPECTOR_SCREENSHOTS !== '1') return;
    const directory = join(PROJECT_ROOT, 'docs', 'images');
    mkdirSync(directory, { recursive: true });
    await this.page.screenshot({ path: join(directory, `inspector-${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

/** Everything `GET /_emulator/events` sends while the test runs, read as a second client would. */
export class EventStreamRecorder {
  private text = '';
  /** Emits `change` on every chunk received (for waitFor). */
  readonly changes = new EventEmitter();

  private constructor(private readonly done: () => void) {}

  static open(url: string, ca: string): Promise<EventStreamRecorder> {
    return new Promise((resolve, reject) => {
      const request = httpsRequest(url, { ca }, (response) => {
        const recorder = new EventStreamRecorder(() => request.destroy());
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          recorder.text += chunk;
          recorder.changes.emit('change');
        });
        response.on('error', () => undefined);
        resolve(recorder);
      });
      request.on('error', reject);
      request.end();
    });
  }

  get received(): string {
    return this.text;
  }

  /** Waits, with a deadline, until what was received matches `pattern`. */
  async waitFor(pattern: RegExp, description: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
    await waitFor(() => (pattern.test(this.text) ? true : undefined), { description, timeoutMs, changes: this.changes, seen: () => this.text });
  }

  close(): void {
    this.done();
  }
}

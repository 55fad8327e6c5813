/**
 * The living documentation opens in a browser and shows every feature with its results. Run after
 * `npm run docs` (which writes reports/cucumber-report.html): `npm run test:report`.
 * Uses Debian's chromium through playwright-core; no browser is downloaded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readFeatureFiles } from './feature-files.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reportPath = join(projectRoot, 'reports', 'cucumber-report.html');
const screenshotPath = join(projectRoot, 'reports', 'report-screenshot.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The html formatter marks statuses with Font Awesome icons: a check for passed; an x (failed),
// question (undefined), pause (pending), stop (skipped) or exclamation (ambiguous) otherwise.
const PASSED_ICON = 'circle-check';
const NOT_PASSED_ICONS = ['circle-xmark', 'circle-question', 'circle-pause', 'circle-stop', 'circle-exclamation'];

const features = readFeatureFiles(join(projectRoot, 'features'));
const userDataDir = mkdtempSync(join(tmpdir(), 'report-check-'));
const requestsOutsideTheFile: string[] = [];
let context: BrowserContext;
let page: Page;

before(async () => {
  assert.ok(existsSync(reportPath), `${reportPath} is missing: run \`npm run docs\` first`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // A fresh profile each run; playwright passes it as --user-data-dir.
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  // Self-contained means the page needs nothing but its own file: anything else is recorded and refused.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    requestsOutsideTheFile.push(url);
    return route.abort();
  });
  page = await context.newPage();
  await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
});

after(async () => {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

void test('the report summarises every scenario of the feature files as passed', async () => {
  const expected = features.reduce((sum, f) => sum + f.scenarioCount, 0);
  const summary = page.getByTestId('cucumber.summary.status');
  await summary.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await summary.innerText();
  assert.equal(await summary.locator('[data-status]').first().getAttribute('data-status'), 'PASSED', `summary shows: ${text}`);
  assert.match(text, new RegExp(`\\(${expected} / ${expected}\\) passed`));
});

void test('every feature is listed with a passed mark and shows its title when opened', async () => {
  for (const feature of features) {
    const fileRow = page.getByRole('button', { name: `features/${feature.path}` });
    await fileRow.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await fileRow.locator(`svg[data-icon="${PASSED_ICON}"]`).count(), 1, `${feature.path} is not marked passed`);
    if ((await fileRow.getAttribute('aria-expanded')) === 'false') await fileRow.click();
    const heading = page.getByRole('heading', { name: `Feature: ${feature.title}`, exact: true });
    await heading.waitFor({ state: 'visible', timeout: 10_000 });
  }
  await page.screenshot({ path: screenshotPath, fullPage: true });
});

void test('no feature, scenario or step is shown with a status other than passed', async () => {
  const notPassed = page.locator(NOT_PASSED_ICONS.map((icon) => `svg[data-icon="${icon}"]`).join(', '));
  const seen = await Promise.all((await notPassed.all()).map((icon) => icon.getAttribute('data-icon')));
  assert.deepEqual(seen, [], 'the report shows statuses other than passed');
  assert.ok((await page.locator(`svg[data-icon="${PASSED_ICON}"]`).count()) >= features.length);
});

void test('the report loads nothing from outside its own file', () => {
  assert.deepEqual(requestsOutsideTheFile, []);
});

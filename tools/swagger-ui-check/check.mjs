// Drives the service's Swagger UI in Debian's headless Chromium: expands POST /api/v1/age, uploads a
// photo with "Try it out", executes the request and checks that the page shows 200 and a body with an age.
// Then tries POST /api/v1/ages with two files and reports what the page shows.
//
// Requires Node.js 20 or newer, as playwright-core 1.65 does.
// Usage: node check.mjs [--url http://127.0.0.1:8080] [--image PHOTO] [--screenshot FILE.png]
// Exits 0 when the single-image upload works, 1 when a check fails, 2 on invalid arguments.

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Debian's chromium, never a browser downloaded by Playwright. The flags keep it from contacting update and
// sync servers and from needing a GPU or a user namespace sandbox, which containers usually lack.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Time for one request to come back; the first estimate on a cold CPU model takes a few seconds.
const RESPONSE_TIMEOUT_MS = 120_000;

function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:8080' },
        image: { type: 'string', default: path.join(repositoryRoot, 'src/test/resources/images/astronaut.png') },
        screenshot: { type: 'string', default: '/tmp/swagger-ui-check.png' },
        help: { type: 'boolean', default: false },
      },
    });
    return values;
  } catch (error) {
    console.error(`${error.message}\nUsage: node check.mjs [--url BASE_URL] [--image PHOTO] [--screenshot FILE.png]`);
    process.exit(2);
  }
}

/** Returns the operation block of one path, matched exactly so that /api/v1/age does not also match /ages. */
function operation(page, method, apiPath) {
  return page.locator(`.opblock-${method}`).filter({
    has: page.locator(`.opblock-summary-path[data-path="${apiPath}"]`),
  });
}

/** Expands an operation and switches it to "Try it out" unless the UI already starts in that mode. */
async function openTryItOut(block) {
  await block.locator('.opblock-summary').first().click();
  // With springdoc's try-it-out-enabled the block opens in that mode, showing Cancel and Reset instead.
  const tryOut = block.locator('button.try-out__btn').first();
  await tryOut.waitFor({ state: 'visible' });
  if ((await tryOut.innerText()).trim().toLowerCase() === 'try it out') {
    await tryOut.click();
  }
  await block.locator('button.execute').waitFor({ state: 'visible' });
}

/** Clicks Execute and returns the status code and body text that the live response table shows. */
async function execute(block) {
  await block.locator('button.execute').click();
  const response = block.locator('.live-responses-table .response').first();
  await response.waitFor({ state: 'visible', timeout: RESPONSE_TIMEOUT_MS });
  const status = (await response.locator('.response-col_status').innerText()).trim();
  const bodyBlock = response.locator('.response-col_description pre').first();
  const body = (await bodyBlock.count()) > 0 ? await bodyBlock.innerText() : '';
  return { status, body };
}

async function checkSingleUpload(page, image) {
  const block = operation(page, 'post', '/api/v1/age');
  await block.waitFor({ state: 'visible' });
  await openTryItOut(block);

  const fileInputs = block.locator('input[type=file]');
  const count = await fileInputs.count();
  if (count !== 1) {
    throw new Error(`POST /api/v1/age shows ${count} file inputs, expected 1`);
  }
  await fileInputs.first().setInputFiles(image);

  const { status, body } = await execute(block);
  console.log(`POST /api/v1/age: response code ${status}`);
  if (status !== '200') {
    throw new Error(`POST /api/v1/age returned ${status}, expected 200; body: ${body}`);
  }
  const answer = JSON.parse(body);
  if (!Number.isInteger(answer.age)) {
    throw new Error(`POST /api/v1/age body has no integer age: ${body}`);
  }
  console.log(`POST /api/v1/age: age ${answer.age}, expected age ${answer.expectedAge}`);
  await block.scrollIntoViewIfNeeded();
}

/** Tries the batch endpoint with two copies of the photo and prints the file inputs and the response. */
async function tryBatchUpload(page, image) {
  const block = operation(page, 'post', '/api/v1/ages');
  await block.waitFor({ state: 'visible' });
  await openTryItOut(block);

  // Swagger UI renders an array of files as one file input per item, added with its "Add string item" button.
  const addItem = block.locator('.json-schema-form-item-add');
  if ((await addItem.count()) > 0) {
    while ((await block.locator('input[type=file]').count()) < 2) {
      await addItem.first().click();
    }
  }
  const fileInputs = block.locator('input[type=file]');
  const count = await fileInputs.count();
  console.log(`POST /api/v1/ages: ${count} file input(s) after adding items`);
  if (count === 0) {
    return;
  }
  for (let i = 0; i < Math.min(count, 2); i++) {
    await fileInputs.nth(i).setInputFiles(image);
  }

  const { status, body } = await execute(block);
  let items = null;
  try {
    items = JSON.parse(body);
  } catch {
    // Reported below as the raw body.
  }
  const summary = Array.isArray(items)
    ? `${items.length} item(s) with statuses ${items.map((item) => item.status).join(', ')}`
    : `body ${body}`;
  console.log(`POST /api/v1/ages: response code ${status}, ${summary}`);
}

async function main() {
  const options = parseOptions();
  if (options.help) {
    console.log('Usage: node check.mjs [--url BASE_URL] [--image PHOTO] [--screenshot FILE.png]');
    return 0;
  }
  if (!existsSync(options.image)) {
    console.error(`The image ${options.image} does not exist; pass --image PHOTO`);
    return 2;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} is missing; install Debian's browser with: apt-get install -y chromium`);
    return 2;
  }

  const userDataDir = mkdtempSync(path.join(tmpdir(), 'swagger-ui-check-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 2000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => console.error(`Page error: ${error.message}`));

  let exitCode = 0;
  try {
    const url = new URL('/swagger-ui.html', options.url).toString();
    await page.goto(url);
    console.log(`Opened ${page.url()}`);
    await checkSingleUpload(page, options.image);
    await page.screenshot({ path: options.screenshot, fullPage: true });
    console.log(`Screenshot of the single upload: ${options.screenshot}`);

    try {
      await tryBatchUpload(page, options.image);
      const batchScreenshot = options.screenshot.replace(/(\.png)?$/, '-batch.png');
      await page.screenshot({ path: batchScreenshot, fullPage: true });
      console.log(`Screenshot of the batch upload: ${batchScreenshot}`);
    } catch (error) {
      // The batch endpoint is reported, not required: the check is about the single upload.
      console.log(`POST /api/v1/ages could not be tried: ${error.message}`);
    }
  } catch (error) {
    console.error(`Swagger UI check failed: ${error.message}`);
    await page.screenshot({ path: options.screenshot, fullPage: true }).catch(() => {});
    console.error(`Screenshot of the failure: ${options.screenshot}`);
    exitCode = 1;
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return exitCode;
}

process.exitCode = await main();

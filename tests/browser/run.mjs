#!/usr/bin/env node
// The browser tests: Liaison's web pages as a person sees them, in Debian's
// chromium driven by Playwright, with an axe-core accessibility check of
// every page a test visits.
//
// usage: node tests/browser/run.mjs [--shard I/N] [TEST_NAME...]
//   --shard I/N  only the I-th of N parts of the test files (0 ≤ I < N), each
//                part about as many tests, so that N runs side by side, each
//                with its server and browser, share the suite out
//   LIAISON_BIN  the server to test (default build/debug/liaison)
//   CHROMIUM     the browser (default /usr/bin/chromium)
//
// One server for the whole suite (a fresh database, see server.mjs); each test
// gets a fresh browser context, so no cookies carry over.  A test is an
// exported async function of a tests/browser/*.test.mjs file, called with the
// helper object described at makeHelper().  On a failure the page's
// screenshot and HTML are kept in tests/browser/failures/.  The last line is
// `browser: N passed, N failed`; the exit code is 1 when anything failed.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AccessibilityWatch, checkNow, describeViolations } from './axe.mjs';
import { Server, USERS } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const FAILURES = path.join(HERE, 'failures');
const LIAISON_BIN = path.resolve(ROOT, process.env.LIAISON_BIN || 'build/debug/liaison');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TEST_TIMEOUT = 60_000;
const STEP_TIMEOUT = 20_000; // one Playwright action or wait (a sign-in hashes with Argon2id under ASan); well under a test's time

// ---- the helper object a test receives -----------------------------------------

class Failure extends Error {}
class TimedOut extends Failure {}

const show = (v) => (typeof v === 'string' ? JSON.stringify(v.length > 200 ? v.slice(0, 200) + '…' : v) : JSON.stringify(v));

const expect = {
  ok(value, what = 'expected a true value') {
    if (!value) throw new Failure(`${what} (got ${show(value)})`);
  },
  equal(actual, expected, what = 'values differ') {
    if (actual !== expected) throw new Failure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  },
  includes(haystack, needle, what = 'not found') {
    if (haystack == null || !haystack.includes(needle)) {
      throw new Failure(`${what}: ${show(needle)} is not in ${show(haystack)}`);
    }
  },
};

// t.page      the Playwright Page (fresh context: no cookies)
// t.base      the server's URL, e.g. http://127.0.0.1:41234
// t.users     name → password of the suite's users (ana, dora, root)
// t.expect    ok(value, what), equal(actual, expected, what), includes(haystack, needle, what)
// t.path()    the path of the page on screen, e.g. "/sign-in"
// t.clickAndLoad(locator)  clicks and waits until the next document has loaded
// t.signIn(name)           signs in through the sign-in form; fails if it does not work
// t.axe()     checks the page now (e.g. after a script changed it); throws on violations
function makeHelper(page, base) {
  const users = Object.fromEntries(Object.entries(USERS).map(([name, u]) => [name, u.password]));
  const t = {
    page, base, users, expect,
    path: () => new URL(page.url()).pathname,
    async clickAndLoad(locator) {
      // Listen first: the load may come before click() returns.
      await Promise.all([page.waitForEvent('load'), locator.click()]);
    },
    async signIn(name) {
      if (!(name in users)) throw new Failure(`no user ${show(name)} in this suite`);
      await page.goto(base + '/sign-in');
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Password', { exact: true }).fill(users[name]);
      await t.clickAndLoad(page.getByRole('button', { name: 'Sign in', exact: true }));
      if (t.path() === '/sign-in') {
        const notice = await page.locator('.notice').allInnerTexts();
        throw new Failure(`signing in as ${name} failed: still on /sign-in ${show(notice.join(' '))}`);
      }
    },
    async axe() {
      const { url, violations } = await checkNow(page);
      if (violations.length) throw new Failure('accessibility:\n    ' + describeViolations(url, violations).join('\n    '));
    },
  };
  return t;
}

// ---- finding and running tests -------------------------------------------------

async function loadTests(only) {
  const files = fs.readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(HERE, file)).href);
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== 'function') continue;
      // The name is also the failure files' name, so it must be unique.
      if (tests.some((t) => t.name === name)) throw new Error(`two tests are named ${name} (${file})`);
      tests.push({ name, file, fn });
    }
  }
  const unknown = only.filter((name) => !tests.some((t) => t.name === name));
  if (unknown.length) throw new Error(`no test named ${unknown.join(', ')}`);
  return only.length ? tests.filter((t) => only.includes(t.name)) : tests;
}

// The files of shard i of n: the files with the most tests first, each to the
// part that has the fewest so far (a file's tests stay together, in order).
function shardOf(tests, i, n) {
  const count = new Map();
  for (const t of tests) count.set(t.file, (count.get(t.file) || 0) + 1);
  const files = [...count.keys()].sort((a, b) => count.get(b) - count.get(a) || a.localeCompare(b));
  const load = new Array(n).fill(0), mine = new Set();
  for (const file of files) {
    const part = load.indexOf(Math.min(...load));
    load[part] += count.get(file);
    if (part === i) mine.add(file);
  }
  return tests.filter((t) => mine.has(t.file));
}

// --shard I/N out of the arguments: [i, n] (0, 1 without it), the rest.
function shardArgs(args) {
  const at = args.indexOf('--shard');
  if (at < 0) return [0, 1, args];
  const m = /^(\d+)\/(\d+)$/.exec(args[at + 1] || '');
  if (!m || +m[1] >= +m[2]) throw new Error('--shard wants I/N with 0 ≤ I < N, e.g. --shard 0/2');
  return [+m[1], +m[2], args.filter((_, k) => k !== at && k !== at + 1)];
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`${what} took more than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Keeps what the page looked like when the test failed.
async function keepEvidence(page, name) {
  fs.mkdirSync(FAILURES, { recursive: true });
  const base = path.join(FAILURES, name);
  try {
    await page.screenshot({ path: base + '.png', fullPage: true, timeout: STEP_TIMEOUT });
    fs.writeFileSync(base + '.html', await page.content());
    return `${path.relative(ROOT, base)}.png, .html`;
  } catch (err) {
    return `no screenshot: ${err.message.split('\n')[0]}`;
  }
}

// Runs one test in its own context; returns a list of problems (empty: passed).
async function runTest(browser, base, test) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const watch = new AccessibilityWatch(context, STEP_TIMEOUT);
  await watch.attach();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`${page.url()}: script error: ${err.message}`));

  const run = (async () => test.fn(makeHelper(page, base)))();
  let timedOut = false;
  try {
    await withTimeout(run, TEST_TIMEOUT, test.name);
  } catch (err) {
    timedOut = err instanceof TimedOut;
    problems.unshift(describeError(err));
  }
  if (!timedOut) await watch.settle(); // the last page's check, and any still running
  problems.push(...watch.problems);
  if (problems.length) problems.push('kept: ' + await keepEvidence(page, test.name));
  run.catch(() => {}); // a test that timed out is abandoned; closing its context ends it
  await context.close().catch(() => {});
  return problems;
}

// A failed expectation says it all; any other error also gets the test's line.
function describeError(err) {
  if (err instanceof Failure) return err.message;
  const message = String(err && err.message || err).split('\nCall log:')[0];
  const where = String(err && err.stack || '').split('\n').find((line) => line.includes('.test.mjs:'));
  return where ? `${message} (${where.trim().replace(/^at /, '')})` : message;
}

function report(ok, name, problems = []) {
  const [first = '', ...rest] = problems;
  console.log(ok ? `ok   ${name}` : `FAIL ${name} — ${first}`);
  for (const line of rest.join('\n').split('\n')) if (line) console.log(`     ${line}`);
}

function launchOptions() {
  const args = [
    // Containers often give /dev/shm only 64 MB, where chromium's tabs crash.
    '--disable-dev-shm-usage',
  ];
  // Chromium's sandbox cannot start as root (CI runs as root).
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return { executablePath: CHROMIUM, headless: true, args };
}

// Playwright and axe-core come from node_modules, which `make check` fills.
async function loadPlaywright() {
  try {
    return (await import('playwright-core')).chromium;
  } catch (err) {
    throw new Error(`${err.message} (run \`npm ci\` in ${ROOT})`);
  }
}

async function main() {
  let passed = 0;
  let failed = 0;
  let server = null;
  let browser = null;
  try {
    const [shard, shards, only] = shardArgs(process.argv.slice(2));
    // no stale evidence from an earlier run (the caller of several shards clears it once)
    if (shards === 1) fs.rmSync(FAILURES, { recursive: true, force: true });
    const chromium = await loadPlaywright();
    const tests = shardOf(await loadTests(only), shard, shards);
    server = new Server(LIAISON_BIN);
    await server.start();
    browser = await chromium.launch(launchOptions());
    for (const test of tests) {
      const problems = await runTest(browser, server.base, test);
      report(!problems.length, test.name, problems);
      if (problems.length) failed++;
      else passed++;
    }
  } catch (err) {
    report(false, 'setup', [err.message.split('\n').slice(0, 8).join('\n')]);
    failed++;
  } finally {
    if (browser) await browser.close().catch(() => {});
    const problems = server ? await server.stop() : [];
    if (problems.length) {
      report(false, 'server', problems);
      failed++;
    }
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  // Exit now: a test abandoned after its timeout may still hold timers.
  process.exit(failed ? 1 : 0);
}

// Ctrl-C: stop the server too (the exit handler in server.mjs kills it).
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

await main();

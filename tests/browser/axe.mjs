// Accessibility checks with axe-core, WCAG 2.0, 2.1 and 2.2 at levels A and AA,
// of every top-level document a test shows, without the test asking.
//
// How:
//   - an init script puts axe into every top-level http(s) document as it is
//     created, says "started" to the runner, and on `load` runs axe and sends
//     the result back through an exposed binding;
//   - a navigation request of a main frame is held until every started check
//     has reported, so a page cannot be left before it has been checked (the
//     old document stays alive, and its scripts keep running, until the new
//     response arrives);
//   - at the end of a test the runner waits for the checks still running.
//
// The check runs inside the page rather than through page.evaluate because
// Chromium holds back DevTools commands to a frame while it has a navigation
// pending, so an evaluate in a navigation hold would never answer.  Init
// scripts and bindings are also exempt from the pages' Content-Security-Policy
// (script-src 'self'), which blocks page.addScriptTag's inline script; turning
// CSP off for the tests would hide the pages' own CSP mistakes.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
};

const BINDING = '__liaisonAxeReport';

// Runs in the page, before its own scripts.  window.__liaisonAxeAuto settles
// when the automatic check is over, so that t.axe() never runs axe twice at once.
const inPage = (axeSource) => `(() => {
  if (window !== window.top || !/^https?:$/.test(location.protocol)) return;
  ${axeSource}
  const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const send = (message) => window.${BINDING}({ id, url: location.href, ...message }).catch(() => {});
  let over = false;
  let settle;
  window.__liaisonAxeOptions = ${JSON.stringify(AXE_OPTIONS)};
  window.__liaisonAxeAuto = new Promise((resolve) => { settle = resolve; });
  send({ state: 'started' });
  window.addEventListener('load', () => setTimeout(async () => {
    try {
      const result = await window.axe.run(document, window.__liaisonAxeOptions);
      over = true;
      send({ state: 'done', violations: result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
      })) });
    } catch (err) {
      over = true;
      send({ state: 'error', message: String((err && err.message) || err) });
    }
    settle();
  }, 0), { once: true });
  // Leaving without a network request (history, bfcache) is not held.
  window.addEventListener('pagehide', () => { if (!over) send({ state: 'left' }); });
})();`;

// One line per violation: rule, impact, what it asks, where (first targets).
export function describeViolations(url, violations) {
  return violations.map((v) => {
    const targets = v.nodes.slice(0, 3).map((n) => [].concat(n.target).join(' >>> '));
    const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
    return `${url}: ${v.id} (${v.impact}) ${v.help} — ${targets.join(', ')}${more}`;
  });
}

// Checks the page as it is now (after the automatic check of this document).
export async function checkNow(page) {
  return page.evaluate(async () => {
    if (!window.__liaisonAxeAuto) throw new Error(`no accessibility check in ${location.href}`);
    await window.__liaisonAxeAuto;
    const result = await window.axe.run(document, window.__liaisonAxeOptions);
    return { url: location.href, violations: result.violations };
  });
}

// Watches one browser context for the whole of a test; `problems` collects
// every violation, and every document that could not be checked, each naming its URL.
export class AccessibilityWatch {
  constructor(context, waitLimit) {
    this.context = context;
    this.waitLimit = waitLimit;
    this.problems = [];
    this.running = new Map(); // check id → { url, promise, resolve }
  }

  async attach() {
    AccessibilityWatch.script ??= inPage(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    await this.context.exposeBinding(BINDING, (_source, message) => this.receive(message));
    await this.context.addInitScript({ content: AccessibilityWatch.script });
    await this.context.route('**/*', (route) => this.hold(route));
  }

  receive({ id, url, state, violations, message }) {
    if (state === 'started') {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      this.running.set(id, { url, promise, resolve });
      return;
    }
    const check = this.running.get(id);
    if (!check) return; // already given up on (see settle)
    this.running.delete(id);
    check.resolve();
    if (state === 'done') this.problems.push(...describeViolations(url, violations));
    else if (state === 'error') this.problems.push(`${url}: axe failed: ${message}`);
    else if (state === 'left') this.problems.push(`${url}: left before its accessibility check finished`);
  }

  async hold(route) {
    const request = route.request();
    if (request.isNavigationRequest() && !request.frame().parentFrame()) await this.settle();
    await route.continue().catch(() => {}); // the context may be closing
  }

  // Waits for every running check; one that takes too long is a problem, not a hang.
  async settle() {
    const checks = [...this.running.values()];
    if (!checks.length) return;
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(resolve, this.waitLimit); });
    await Promise.race([Promise.all(checks.map((c) => c.promise)), late]);
    clearTimeout(timer);
    for (const [id, check] of this.running) {
      if (!checks.includes(check)) continue;
      this.running.delete(id);
      this.problems.push(`${check.url}: the accessibility check did not finish in ${this.waitLimit / 1000} s`);
    }
  }
}

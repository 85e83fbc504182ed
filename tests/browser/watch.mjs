// What a task in the browser took, and what its pages said: the pages loaded
// and the forms sent (docs/web.md records the counts), and, in French and
// Spanish, interface text left in English: no text node may be a message of
// the English catalog whose translation differs.  Shared by the tests of the
// department's tasks (tasks.test.mjs, translation.test.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PO = path.resolve(HERE, '../../src/web/po');

// msgid → msgstr of a catalog (single-line entries; contexts folded in).
export function catalog(lang) {
  const text = fs.readFileSync(path.join(PO, lang + '.po'), 'utf8');
  const out = new Map();
  for (const m of text.matchAll(/^msgid "(.+)"\nmsgstr "(.*)"$/gm)) out.set(m[1], m[2]);
  return out;
}

// The English messages a French or Spanish page must never show.
const englishOf = {};
for (const lang of ['fr', 'es']) {
  const theirs = catalog(lang);
  englishOf[lang] = new Set([...catalog('en').keys()].filter((id) => {
    const t = theirs.get(id);
    return t && t !== id;
  }));
}

// Counts what the user did: pages loaded, forms sent; and checks each page's words.
export function watch(t, lang) {
  const done = { pages: 0, forms: 0, english: [] };
  t.page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === t.page.mainFrame()) {
      done.pages++;
      if (r.method() === 'POST') done.forms++;
    }
  });
  done.check = async () => {
    if (lang === 'en') return;
    const texts = await t.page.evaluate((pageLang) => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('script, style, svg, nav.langs, [hidden]')) continue;
        const marked = el.closest('[lang]');
        if (marked && marked.getAttribute('lang') !== pageLang) continue;
        const s = n.textContent.trim();
        if (s) out.push(s);
      }
      return out;
    }, lang);
    const english = englishOf[lang];
    for (const s of texts) {
      if (english.has(s) || english.has(s.replace(/[.:]$/, ''))) done.english.push(`${t.path()}: "${s}"`);
    }
  };
  return done;
}

// The translation area in the browser, in English, French and Spanish:
//
// 1. a translator translates a short job with the keyboard alone: the job
//    opened from their home page with Tab and Enter, the translation typed
//    into the editor (which has the focus on every sentence), Ctrl+Enter to
//    confirm and go on, Ctrl+1 to take the memory's match where it has one;
//    then the job's page says every sentence is translated.  The pages
//    loaded and the forms sent are counted (docs/web.md records them);
// 2. a tag out of place, or one missing, is refused on the page in its
//    language, announced (role=alert), with what was typed kept and the focus
//    in the translation;
// 3. the board, a job's page, its leverage report, the editor and the
//    termbase's lists pass axe and, in French and Spanish, show no interface
//    text of the English catalog.
//
// The jobs, the translators and the memory's earlier translation are made
// through the API as root; each run has its own translator and sentences, so
// that the runs on one server do not meet.

import { api } from './pages.mjs';
import { catalog, watch } from './watch.mjs';

const catalogs = { en: catalog('en'), fr: catalog('fr'), es: catalog('es') };

// A message of the interface as the page in lang says it, {1}, {2} filled in.
function say(lang, msgid, ...values) {
  const text = catalogs[lang].get(msgid) || msgid;
  return values.reduce((s, v, i) => s.replace(`{${i + 1}}`, v), text);
}

// Each run translates into its own language: the pair is [from, to].
const PAIR = { en: ['fr', 'en'], fr: ['en', 'fr'], es: ['en', 'es'] };

// What the memory holds from an earlier job, and the job with that sentence
// in it; `typed` is what the translator types for each other sentence.
const TEXTS = {
  en: {
    known: ['Le Conseil de Marlowgate a adopté son ordre du jour.', 'The Marlowgate Council adopted its agenda.'],
    sentences: ['Le Conseil de Marlowgate s\'est réuni le 3 mars.', 'Le Conseil de Marlowgate a adopté son ordre du jour.',
                'Il a entendu le rapport de la trésorière.', 'La séance a été levée à midi.'],
    typed: ['The Marlowgate Council met on 3 March.', null, 'It heard the treasurer\'s report.', 'The meeting rose at noon.'],
  },
  fr: {
    known: ['The Thornbury Committee approved the budget.', 'Le Comité de Thornbury a approuvé le budget.'],
    sentences: ['The Thornbury Committee met in Geneva on Monday.', 'It heard three delegations.',
                'The Thornbury Committee approved the budget.', 'The meeting rose at noon.'],
    typed: ['Le Comité de Thornbury s\'est réuni à Genève lundi.', 'Il a entendu trois délégations.', null,
            'La séance a été levée à midi.'],
  },
  es: {
    known: ['The Vellacourt Assembly elected its bureau.', 'La Asamblea de Vellacourt eligió a su Mesa.'],
    sentences: ['The Vellacourt Assembly elected its bureau.', 'The vote was held in the morning.',
                'Two seats remain open.'],
    typed: [null, 'La votación se celebró por la mañana.', 'Quedan dos puestos vacantes.'],
  },
};

const TRANSLATOR = { en: 'orsolya', fr: 'perrine', es: 'quiteria' };
const PASSWORD = 'translator-browser-test-passphrase-5810';

// A translator of the run's language, with a password to sign in with.
async function translator(t, name, lang) {
  const user = await api(t, 'POST', '/api/v1/users', { name, role: 'translator', language: lang });
  await api(t, 'POST', `/api/v1/users/${name}/password`, { password: PASSWORD });
  return user;
}

async function job(t, title, [from, to], text, who) {
  return api(t, 'POST', '/api/v1/translation-jobs',
    { title, source_language: from, target_language: to, source_text: text, translator: who.id });
}

async function segmentsOf(t, made) {
  return (await (await t.page.request.get(`${t.base}/api/v1/translation-segments?job=${made.id}&sort=position`)).json()).items;
}

// The earlier job's one sentence confirmed, so that the memory holds it.
async function remembered(t, lang, who) {
  const [source, target] = TEXTS[lang].known;
  const earlier = await job(t, `Earlier minutes (${TRANSLATOR[lang]})`, PAIR[lang], source, who);
  const [seg] = await segmentsOf(t, earlier);
  await api(t, 'PATCH', `/api/v1/translation-segments/${seg.id}`, { target, state: 'translated' },
    { 'If-Match': `"${seg.version}"` });
}

// ---- the keyboard ------------------------------------------------------------------

const focusedMatches = (page, selector) =>
  page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector);

// Presses key (Tab, Shift+Tab) until the focus is on selector; each press
// waits for the focus to move, which can trail the key on a busy machine.
async function tabTo(t, selector, key = 'Tab', most = 120) {
  const { page } = t;
  for (let i = 0; i < most; i++) {
    if (await focusedMatches(page, selector)) return;
    await page.evaluate(() => { window.__focusWas = document.activeElement; });
    await page.keyboard.press(key);
    await page.waitForFunction(() => document.activeElement !== window.__focusWas, null, { timeout: 2000 }).catch(() => {});
  }
  throw new Error(`${most} presses of ${key} never reached ${selector} on ${t.path()}`);
}

// A key that sends a form or follows a link, and the page it leads to.
async function pressAndLoad(t, key) {
  await Promise.all([t.page.waitForEvent('load'), t.page.keyboard.press(key)]);
}

async function signInByKeyboard(t, name, lang) {
  await t.page.goto(`${t.base}/sign-in?lang=${lang}`);
  await tabTo(t, 'input[name=name]');
  await t.page.keyboard.type(name);
  await t.page.keyboard.press('Tab');
  await t.page.keyboard.type(PASSWORD);
  await pressAndLoad(t, 'Enter');
  t.expect.equal(t.path(), '/', `${name} is signed in and on the home page`);
  t.expect.equal(await t.page.locator('html').getAttribute('lang'), lang, 'the pages are in the run\'s language');
}

// The editor gives the focus to the translation when it loads.
async function translationHasFocus(t, what) {
  await t.page.waitForFunction(() => document.activeElement && document.activeElement.id === 'target', null,
    { timeout: 5000 }).catch(() => {});
  t.expect.ok(await focusedMatches(t.page, 'textarea#target'), `${what}: the translation has the focus`);
}

// The job's words on the page are marked as the job's languages, as screen
// readers need to speak them: each text node that is a sentence's source or
// translation, and each matching word of the checks, names its language in
// the closest lang attribute.  Returns the texts that do not.
async function unmarkedSentences(t, [from, to], sources, targets) {
  return t.page.evaluate(({ from, to, sources, targets }) => {
    const wrong = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = n.textContent.trim();
      const want = sources.includes(s) ? from : targets.includes(s) ? to : null;
      if (!want || n.parentElement.closest('textarea')) continue;
      const marked = n.parentElement.closest('[lang]');
      if (!marked || marked.getAttribute('lang') !== want) wrong.push(`${s} (${marked ? marked.getAttribute('lang') : 'no lang'})`);
    }
    return wrong;
  }, { from, to, sources, targets });
}

// ---- 1. a job translated with the keyboard alone -------------------------------------

async function translateByKeyboard(t, lang) {
  const { page, expect } = t;
  const texts = TEXTS[lang];
  const count = texts.sentences.length;
  await t.signIn('root');
  const who = await translator(t, TRANSLATOR[lang], lang);
  await remembered(t, lang, who);
  const made = await job(t, `Minutes of the sitting (${TRANSLATOR[lang]})`, PAIR[lang], texts.sentences.join(' '), who);
  expect.equal(made.segment_count, count, 'the job is cut into its sentences');
  await api(t, 'POST', `/api/v1/translation-jobs/${made.id}/transitions`, { to: 'translating' });
  await page.context().clearCookies();

  const done = watch(t, lang);
  await signInByKeyboard(t, who.name, lang);
  await done.check();

  // the job, from the home page's list of the translator's jobs, then its editor
  await tabTo(t, `main a[href="/translation-jobs/${made.id}"]`);
  await pressAndLoad(t, 'Enter');
  expect.equal(t.path(), `/translation-jobs/${made.id}`, 'Enter on the job opens its page');
  await done.check();
  await tabTo(t, `main a[href="/translation-jobs/${made.id}/translate"]`);
  await pressAndLoad(t, 'Enter');
  await done.check();

  for (let i = 0; i < count; i++) {
    const at = `sentence ${i + 1}`;
    expect.equal(await page.locator('main h1').innerText(), say(lang, 'Sentence {1} of {2}', i + 1, count), at);
    expect.equal(await page.locator('main p.source').innerText(), texts.sentences[i], `${at}: its source`);
    await translationHasFocus(t, at);
    const box = page.locator('textarea#target');
    if (texts.typed[i] === null) {
      // the memory's translation of the same sentence, offered first and taken with Ctrl+1
      const [, target] = texts.known;
      expect.equal(await page.locator('[data-match="1"]').innerText(), target, `${at}: the memory offers its translation`);
      expect.ok(/^10[01] %$/.test(await page.locator('ol.matches .score').first().innerText()), `${at}: as the same sentence`);
      await page.keyboard.press('Control+1');
      expect.equal(await box.inputValue(), target, `${at}: Ctrl+1 puts the match into the translation`);
      expect.ok(await focusedMatches(page, 'textarea#target'), `${at}: and leaves the focus there`);
    } else {
      await page.keyboard.type(texts.typed[i]);
    }
    const targets = [texts.known[1], ...texts.typed.filter((s) => s !== null)];
    expect.equal((await unmarkedSentences(t, PAIR[lang], [...texts.sentences, texts.known[0]], targets)).join('; '), '',
      `${at}: the sentences shown in their languages`);
    await pressAndLoad(t, 'Control+Enter');
    await done.check();
  }

  // every sentence is confirmed: the last confirmation leads to the job's page
  expect.equal(t.path(), `/translation-jobs/${made.id}`, 'the job\'s page, once no sentence is left');
  expect.equal(await page.locator('section[aria-labelledby="h-work"] p').first().innerText(),
    say(lang, '{1} of {2} sentences translated.', count, count), 'the job\'s page says every sentence is translated');
  await done.check();
  const saved = await segmentsOf(t, made);
  const wanted = texts.typed.map((s) => (s === null ? texts.known[1] : s));
  expect.equal(JSON.stringify(saved.map((s) => s.target)), JSON.stringify(wanted), 'each translation is saved as typed or taken');
  expect.ok(saved.every((s) => s.state === 'translated'), 'and confirmed');
  expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     translation (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const translationKeyboardEnglish = (t) => translateByKeyboard(t, 'en');
export const translationKeyboardFrench = (t) => translateByKeyboard(t, 'fr');
export const translationKeyboardSpanish = (t) => translateByKeyboard(t, 'es');

// ---- 2. tags refused on the page -------------------------------------------------------

// A sentence with a tag, and in the run's language: the tag out of place,
// the tag left out, and put right.
const TAGGED = {
  en: { source: 'Le <g1>Conseil de Kellerby</g1> s\'est réuni.', misplaced: 'The </g1>Kellerby Council<g1> met.',
        untagged: 'The Kellerby Council met.', right: 'The <g1>Kellerby Council</g1> met.' },
  fr: { source: 'The <g1>Larkmoor Board</g1> met.', misplaced: 'Le </g1>Conseil de Larkmoor<g1> s\'est réuni.',
        untagged: 'Le Conseil de Larkmoor s\'est réuni.', right: 'Le <g1>Conseil de Larkmoor</g1> s\'est réuni.' },
  es: { source: 'The <g1>Minsterley Board</g1> met.', misplaced: 'La </g1>Junta de Minsterley<g1> se reunió.',
        untagged: 'La Junta de Minsterley se reunió.', right: 'La <g1>Junta de Minsterley</g1> se reunió.' },
};

// Types text in place of the translation and confirms; expects the refusal with message.
async function refused(t, lang, text, message, done) {
  const { page, expect } = t;
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await pressAndLoad(t, 'Control+Enter');
  expect.ok(t.path().endsWith('/translate'), `still the editor (${t.path()})`);
  const alert = page.locator('main [role=alert]');
  expect.equal(await alert.count(), 1, 'the refusal is announced');
  expect.equal(await alert.innerText(), say(lang, message), 'in the page\'s language');
  expect.equal(await page.locator('textarea#target').inputValue(), text, 'what was typed is kept');
  await translationHasFocus(t, 'after the refusal');
  const box = page.locator('textarea#target');
  expect.equal(await box.getAttribute('aria-invalid'), 'true', 'the translation is marked invalid');
  const describedBy = (await box.getAttribute('aria-describedby')) || '';
  expect.ok(describedBy.split(/\s+/).includes(await alert.getAttribute('id')), 'and described by the refusal');
  await done.check();
}

async function tagRefused(t, lang) {
  const { page, expect } = t;
  const tagged = TAGGED[lang];
  await t.signIn('root');
  const who = await translator(t, `${TRANSLATOR[lang]}-tags`, lang);
  const made = await job(t, `Tagged note (${TRANSLATOR[lang]})`, PAIR[lang], tagged.source, who);
  await page.context().clearCookies();

  const done = watch(t, lang);
  await signInByKeyboard(t, who.name, lang);
  await page.goto(`${t.base}/translation-jobs/${made.id}/translate`);
  await translationHasFocus(t, 'the editor');
  await refused(t, lang, tagged.misplaced,
    'A tag is out of place: each one closes after it opens, in the order they opened.', done);
  expect.includes(await page.locator('main ul.checks').innerText(), say(lang, 'a tag is closed that was never opened'),
    'the checks say why in the page\'s language');
  await refused(t, lang, tagged.untagged, 'The translation must carry the same tags and placeholders as the source.', done);

  // put right, it is taken
  await page.keyboard.press('Control+A');
  await page.keyboard.type(tagged.right);
  await pressAndLoad(t, 'Control+Enter');
  expect.equal(await page.locator('main [role=alert]').count(), 0, 'no refusal once the tags are in place');
  const [seg] = await segmentsOf(t, made);
  expect.equal(seg.target, tagged.right, 'the translation with its tag is saved');
  expect.equal(seg.state, 'translated', 'and confirmed');
  expect.equal(done.english.join('; '), '', 'English words on the pages');
}

export const translationTagRefusedEnglish = (t) => tagRefused(t, 'en');
export const translationTagRefusedFrench = (t) => tagRefused(t, 'fr');
export const translationTagRefusedSpanish = (t) => tagRefused(t, 'es');

// ---- 3. the area's pages ---------------------------------------------------------------

async function areaPages(t, lang) {
  const { page, expect } = t;
  await t.signIn('root');
  const name = `${TRANSLATOR[lang]}-pages`;
  const who = await translator(t, name, lang);
  const overdue = await api(t, 'POST', '/api/v1/translation-jobs',
    { title: `Report of the Ashcombe mission (${name})`, source_language: PAIR[lang][0], target_language: PAIR[lang][1],
      source_text: 'The mission visited Ashcombe. The mission visited Ashcombe. It met the mayor.', translator: who.id,
      due_on: '2020-01-15' });
  await api(t, 'POST', `/api/v1/translation-jobs/${overdue.id}/transitions`, { to: 'translating' });
  const concept = await api(t, 'POST', '/api/v1/concepts', { subject: `harbours (${name})` });
  const term = await api(t, 'POST', '/api/v1/terms', { concept: concept.id, language: 'en', text: 'harbour master', status: 'preferred' });
  await api(t, 'POST', '/api/v1/terms', { concept: concept.id, language: 'fr', text: 'capitaine de port', status: 'preferred' });
  await api(t, 'POST', '/api/v1/terms', { concept: concept.id, language: 'es', text: 'capitán de puerto', status: 'preferred' });

  const done = watch(t, lang);
  const paths = ['/translation', `/translation-jobs/${overdue.id}`, `/translation-jobs/${overdue.id}/leverage`,
    `/translation-jobs/${overdue.id}/translate`, '/translation-jobs', '/concepts', `/concepts/${concept.id}`, '/terms',
    `/terms/${term.id}`];
  await page.goto(`${t.base}/?lang=${lang}`);
  for (const path of paths) {
    await page.goto(t.base + path);
    expect.equal(await page.locator('html').getAttribute('lang'), lang, `${path} is in the language chosen`);
    expect.equal(await page.locator('main h1').count(), 1, `${path} has its heading`);
    await done.check();
  }
  expect.equal(done.english.join('; '), '', 'English words on the pages');
}

export const translationPagesEnglish = (t) => areaPages(t, 'en');
export const translationPagesFrench = (t) => areaPages(t, 'fr');
export const translationPagesSpanish = (t) => areaPages(t, 'es');

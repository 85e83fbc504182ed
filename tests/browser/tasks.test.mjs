// The department's daily tasks, each done as a member of staff would on
// their first day, in English, French and Spanish: from the home page, by
// clicking and typing only (never the address bar), counting the pages
// loaded and the forms sent (docs/web.md records the counts).  Each page is
// checked by axe (run.mjs) and, in French and Spanish, for interface text
// left in English: no text node may be a message of the English catalog
// whose translation differs.
//
// 3. search with a misspelling, without accents, and with a phrase in which
//    not every word appears;
// 6. add a user with a name and an e-mail address, give them an API token
//    with a name and a last day, and read a record's history.

import { api } from './pages.mjs';
import { watch } from './watch.mjs';

// The interface words of each language the steps look for.
const WORDS = {
  en: { search: 'Search', users: 'Users', newUser: 'New user', name: 'Name', email: 'E-mail', save: 'Save',
        tokenFor: 'What it is for', lastDay: 'Last day it works', createToken: 'Create an API token',
        history: 'History', admin: 'Administration', typos: 'No record has these exact words',
        some: 'Few records have every word', meant: 'Did you mean:' },
  fr: { search: 'Rechercher', users: 'Utilisateurs', newUser: 'Nouvel utilisateur', name: 'Nom', email: 'Courriel',
        save: 'Enregistrer', tokenFor: 'Usage', lastDay: 'Dernier jour de validité', createToken: "Créer un jeton d'API",
        history: 'Historique', admin: 'Administration', typos: 'Aucune fiche ne contient exactement ces mots',
        some: 'Peu de fiches contiennent tous les mots', meant: 'Vouliez-vous dire :' },
  es: { search: 'Buscar', users: 'Usuarios', newUser: 'Nuevo usuario', name: 'Nombre', email: 'Correo electrónico',
        save: 'Guardar', tokenFor: 'Uso', lastDay: 'Último día de validez', createToken: 'Crear un token de API',
        history: 'Historial', admin: 'Administración', typos: 'Ningún registro contiene exactamente estas palabras',
        some: 'Pocos registros contienen todas las palabras', meant: 'Quizás quiso decir:' },
};

// Signs in on the sign-in page in the language chosen there, as a visitor would.
async function signInAs(t, name, lang) {
  await t.page.goto(`${t.base}/sign-in?lang=${lang}`);
  await t.page.locator('input[name=name]').fill(name);
  await t.page.locator('input[name=password]').fill(t.users[name]);
  await t.clickAndLoad(t.page.locator('form button[type=submit]').first());
  t.expect.equal(t.path(), '/', `${name} is signed in and on the home page`);
}

async function headerSearch(t, w, words) {
  const box = t.page.locator('header.site input[name=q]');
  await box.fill(words);
  await Promise.all([t.page.waitForEvent('load'), box.press('Enter')]);
}

// A place name of each run's own, so that the runs in three languages on one server do not meet.
const PLACE = { en: 'Calderwick', fr: 'Fennimoor', es: 'Quistorne' };

async function searchForgives(t, lang) {
  const w = WORDS[lang];
  const place = PLACE[lang], typo = place.slice(0, 4) + place.slice(5); // one letter dropped
  const council = new RegExp(`${place} Maritime Council|Consejo Marítimo de ${place}`);
  await t.signIn('root');
  await api(t, 'POST', '/api/v1/organizations?force=true',
    { name: { en: `${place} Maritime Council`, es: `Consejo Marítimo de ${place}` }, type: 'igo' });
  await api(t, 'POST', '/api/v1/organizations?force=true', { name: { en: `${place} Rowing Club` }, type: 'cso' });
  await t.page.context().clearCookies();
  const done = watch(t, lang);
  await signInAs(t, 'ana', lang);
  await done.check();

  // a misspelling: the record, the page says so and offers the spelling
  await headerSearch(t, w, `${typo} Maritme`);
  const main = t.page.locator('main');
  t.expect.includes(await main.innerText(), w.typos, 'the page says the words were forgiven');
  t.expect.includes(await main.innerText(), w.some, 'and that records with some of the words follow');
  t.expect.equal(await main.getByRole('link', { name: council }).count(), 1,
    'the misspelt search finds the council');
  t.expect.includes(await main.locator('.did-you-mean').innerText(), w.meant, 'the likeliest spelling is offered');
  await done.check();

  // without accents: "maritimo" finds "Marítimo"
  await headerSearch(t, w, `consejo maritimo ${place}`);
  t.expect.ok(await main.locator('ol.results li').count() >= 1, 'the search without accents finds the council');
  await done.check();

  // a phrase in which not every word appears: the records with the most words first
  await headerSearch(t, w, `${place} maritime council tarnhollow`);
  t.expect.includes(await main.innerText(), w.some, 'the page says not every word was found');
  const first = await main.locator('ol.results li a').first().innerText();
  t.expect.ok(council.test(first),
    `the record with the most words comes first (got ${first})`);
  await done.check();
  t.expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     task 3 (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const task3SearchEnglish = (t) => searchForgives(t, 'en');
export const task3SearchFrench = (t) => searchForgives(t, 'fr');
export const task3SearchSpanish = (t) => searchForgives(t, 'es');

async function userTokenHistory(t, lang) {
  const w = WORDS[lang];
  const login = `tessa-${lang}`;
  const done = watch(t, lang);
  await signInAs(t, 'root', lang);
  await done.check();

  // a new user, from the menu: a name and an e-mail address
  await t.clickAndLoad(t.page.locator('header.site nav.main').getByRole('link', { name: w.admin }));
  await t.clickAndLoad(t.page.locator('main').getByRole('link', { name: w.users }).first());
  await done.check();
  await t.clickAndLoad(t.page.locator('main').getByRole('link', { name: w.newUser }));
  await done.check();
  await t.page.locator('input[name=name]').fill(login);
  await t.page.locator('input[name=email]').fill(`${login}@example.org`);
  await t.page.locator('select[name=role]').selectOption('staff');
  await t.clickAndLoad(t.page.locator('main form.record button[type=submit]').first());
  t.expect.ok(/^\/users\/[^/]+$/.test(t.path()) && t.path() !== '/users/new', `the new user's page (${t.path()})`);
  t.expect.includes(await t.page.locator('main h1').innerText(), login, "the new user's page");
  await done.check();

  // an API token with what it is for and its last day
  const year = new Date().getUTCFullYear() + 1;
  await t.page.getByLabel(w.tokenFor, { exact: true }).fill('Quarterly figures');
  await t.page.getByLabel(w.lastDay, { exact: true }).fill(`${year}-03-31`);
  await t.clickAndLoad(t.page.getByRole('button', { name: w.createToken }));
  t.expect.ok(/lia_[0-9a-f]{64}/.test(await t.page.locator('main code').first().innerText()), 'the token is shown once');
  t.expect.includes(await t.page.locator('main table').innerText(), 'Quarterly figures', 'the token is listed');
  await done.check();

  // the user's history
  await t.clickAndLoad(t.page.locator('main').getByRole('link', { name: w.history }));
  t.expect.ok(await t.page.locator('main table.records tbody tr').count() >= 1, 'the history lists the creation');
  await done.check();
  t.expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     task 6 (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const task6UserTokenHistoryEnglish = (t) => userTokenHistory(t, 'en');
export const task6UserTokenHistoryFrench = (t) => userTokenHistory(t, 'fr');
export const task6UserTokenHistorySpanish = (t) => userTokenHistory(t, 'es');

// Types a few letters into a picker and takes the suggestion that has `name`.
async function pick(t, input, typed, name) {
  await input.pressSequentially(typed, { delay: 30 });
  const list = t.page.locator(`#${await input.getAttribute('aria-controls')}`);
  const option = list.locator('[role=option]').filter({ hasText: name }).first();
  await option.waitFor({ state: 'visible' });
  await option.click();
}

// What each language calls the Philippines, as people type it.
const PHILIPPINES = { en: 'Philippines', fr: 'Philippines', es: 'Filipinas' };

// 1. find the Philippine ministry that deals with migrant workers by the
//    country's name, see its people, record a meeting with two of them chosen
//    by name, and a follow-up for a colleague chosen by name.
async function meetingWithAMinistry(t, lang) {
  const n = { en: 'Ardel', fr: 'Bervic', es: 'Colmen' }[lang]; // this run's own people
  await t.signIn('root');
  const ministry = await api(t, 'POST', '/api/v1/organizations?force=true', {
    name: { en: `Department of Migrant Workers (${n})`, fr: `Département des travailleurs migrants (${n})`,
            es: `Departamento de Trabajadores Migrantes (${n})` },
    type: 'government', country: 'PH' });
  for (const [given, family] of [['Maricel', `${n}ago`], ['Joventino', `${n}ez`]]) {
    await api(t, 'POST', '/api/v1/persons?force=true', { given_name: given, family_name: family, organization: ministry.id });
  }
  await t.page.context().clearCookies();
  const { page, expect } = t;
  const done = watch(t, lang);
  await signInAs(t, 'ana', lang);
  await done.check();

  // the country by its name, then its organizations
  await headerSearch(t, WORDS[lang], PHILIPPINES[lang]);
  await t.clickAndLoad(page.locator('ol.results a[href^="/countries/"]').filter({ hasText: PHILIPPINES[lang] }).first());
  await done.check();
  await t.clickAndLoad(page.locator(`main a[href="/organizations/${ministry.id}"]`).first());
  await done.check();
  const people = await page.locator('main').innerText();
  expect.includes(people, `Maricel ${n}ago`, 'the ministry page shows its people');
  expect.includes(people, `Joventino ${n}ez`, 'both of them');

  // a meeting, from the ministry's page: two participants by name
  await t.clickAndLoad(page.locator('main a[href^="/interactions/new"]').first());
  await done.check();
  await page.locator('select[name=kind]').selectOption('meeting');
  await page.locator('input[name=subject]').fill(`Pre-departure orientation (${n})`);
  const add = page.locator('input[name="participants.add"]');
  await pick(t, add, `${n}ago`, `Maricel ${n}ago`);
  await pick(t, add, `${n}ez`, `Joventino ${n}ez`);
  await t.clickAndLoad(page.locator('main form.record button[type=submit]').first());
  expect.ok(/^\/interactions\/\d+$/.test(t.path()), `the meeting is saved (${t.path()})`);
  const meeting = await page.locator('main').innerText();
  expect.includes(meeting, `Maricel ${n}ago`, 'the meeting names its participants');
  expect.includes(meeting, `Joventino ${n}ez`, 'both of them');
  await done.check();

  // a follow-up for a colleague, from the meeting's page
  await t.clickAndLoad(page.locator('main a[href^="/follow-ups/new"]').first());
  await done.check();
  await page.locator('[name=task]').fill(`Send the orientation deck (${n})`);
  await pick(t, page.locator('input[name="owner.q"]'), 'dor', 'dora');
  await page.locator('input[name=due_date]').fill('2027-01-15');
  await t.clickAndLoad(page.locator('main form.record button[type=submit]').first());
  expect.ok(/^\/follow-ups\/\d+$/.test(t.path()), `the follow-up is saved (${t.path()})`);
  expect.includes(await page.locator('main').innerText(), 'dora', 'the follow-up is dora\'s');
  await done.check();
  expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     task 1 (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const task1MeetingEnglish = (t) => meetingWithAMinistry(t, 'en');
export const task1MeetingFrench = (t) => meetingWithAMinistry(t, 'fr');
export const task1MeetingSpanish = (t) => meetingWithAMinistry(t, 'es');

// 5. schedule a briefing for a delegation at 10:00 Geneva time, send the
//    invitation, and print the briefing pack.
async function briefingAtTen(t, lang) {
  const n = { en: 'Dorvane', fr: 'Essault', es: 'Farrolo' }[lang];
  await t.signIn('root');
  const visitor = await api(t, 'POST', '/api/v1/persons?force=true',
    { given_name: 'Pilar', family_name: `${n}ez`, emails: [`pilar.${n.toLowerCase()}@example.org`] });
  await t.page.context().clearCookies();
  const { page, expect } = t;
  const done = watch(t, lang);
  await signInAs(t, 'ana', lang);

  await t.clickAndLoad(page.locator('header.site nav.main a[href="/briefings/calendar"]'));
  await done.check();
  await t.clickAndLoad(page.locator('main a[href="/briefings"]').first());
  await done.check();
  await t.clickAndLoad(page.locator('main a[href="/briefings/new"]').first());
  await done.check();
  const title = `Visit of the ${n} delegation`;
  await page.locator('input[name=title]').fill(title);
  await page.locator('input[name=delegation]').fill(`Ministry of Labour of ${n}`);
  await pick(t, page.locator('input[name="visitors.add"]'), `${n}ez`, `Pilar ${n}ez`);
  await page.locator('select[name=status]').selectOption('scheduled');
  await page.locator('input[name=starts_at]').fill('2027-01-19T10:00'); // Geneva keeps Zurich's time
  await t.clickAndLoad(page.locator('main form.record button[type=submit]').first());
  const m = /^\/briefings\/(\d+)$/.exec(t.path());
  expect.ok(m, `the briefing is saved (${t.path()})`);
  const shown = await page.locator('main').innerText();
  expect.ok(/10:00 \(Zurich\)/.test(shown), 'the briefing is at 10:00, Zurich time');
  const stored = await (await page.request.get(`${t.base}/api/v1/briefings/${m[1]}`)).json();
  expect.equal(stored.starts_at, '2027-01-19T09:00:00Z', 'stored in UTC');
  await done.check();

  // the invitation, sent from the briefing's page
  await t.clickAndLoad(page.locator(`main form[action="/briefings/${m[1]}/invitation"] button`));
  expect.ok(await page.locator('main .notice').count() >= 1, 'the page says the invitation is queued');
  await done.check();

  // the pack, and printing it
  await t.clickAndLoad(page.locator(`main a[href="/briefings/${m[1]}/pack"]`));
  expect.includes(await page.locator('main').innerText(), `Pilar ${n}ez`, 'the pack names the visitor');
  await done.check();
  await page.evaluate(() => { window.print = () => { document.body.dataset.printed = '1'; }; });
  await page.locator('button[data-print]').first().click();
  expect.equal(await page.locator('body').getAttribute('data-printed'), '1', 'the print button prints');
  // the PDF itself is tests/http/test_briefing_pack.py's: here, that the page offers it
  expect.equal(await page.locator(`main a[href="/briefings/${m[1]}/pack.pdf"]`).count(), 1, 'the pack as a PDF');
  expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     task 5 (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const task5BriefingEnglish = (t) => briefingAtTen(t, 'en');
export const task5BriefingFrench = (t) => briefingAtTen(t, 'fr');
export const task5BriefingSpanish = (t) => briefingAtTen(t, 'es');

// 4. triage an inquiry (division, owner, priority, "assign to me" in one
//    panel), answer it with a canned answer previewed in the requester's
//    language, close it; the inquiry itself sent in Spanish through the
//    public form and followed on its tracking page.
async function inquiryToClose(t, lang) {
  const n = { en: 'Gasparde', fr: 'Hollinet', es: 'Ibarrola' }[lang];
  const { page, expect } = t;
  await t.signIn('root');
  await api(t, 'POST', '/api/v1/canned-answers', {
    code: `visas-${lang}`, title: { en: `Visa letters (${n})`, fr: `Lettres de visa (${n})`, es: `Cartas de visado (${n})` },
    body: { en: 'Dear {name}, about {reference}: the letter is ready.',
            fr: 'Madame, Monsieur {name}, concernant {reference} : la lettre est prête.',
            es: 'Estimada {name}, sobre {reference}: la carta está lista.' } });
  await t.page.context().clearCookies();

  // the requester, in Spanish, on the public form
  await page.goto(`${t.base}/ask?lang=es`);
  await page.locator('input[name=name]').fill(`Rocío ${n}`);
  await page.locator('input[name=email]').fill(`rocio.${n.toLowerCase()}@example.org`);
  await page.locator('input[name=subject]').fill(`Carta de invitación (${n})`);
  await page.locator('textarea[name=message]').fill('Necesito una carta de invitación para el visado.');
  await t.clickAndLoad(page.locator('form[action="/ask"] button[type=submit]'));
  const reference = /INQ-\d{4}-\d{6}/.exec(await page.locator('main').innerText())[0];
  await t.clickAndLoad(page.locator('main a[href^="/track/"]'));
  const tracking = page.url();
  expect.includes(await page.locator('main').innerText(), `Carta de invitación (${n})`, 'the tracking page shows the inquiry');

  // staff: the desk, the inquiry, triage in one panel
  await t.page.context().clearCookies();
  const done = watch(t, lang);
  await signInAs(t, 'ana', lang);
  await t.clickAndLoad(page.locator('header.site nav.main a[href="/desk"]'));
  await done.check();
  await t.clickAndLoad(page.locator('table.records tbody tr').filter({ hasText: reference }).locator('a').first());
  await done.check();
  const panel = page.locator('section.triage form');
  await panel.locator('select[name=division]').selectOption('IPD');
  await panel.locator('select[name=priority]').selectOption('high');
  await panel.locator('[name=topic]').fill('visas');
  await t.clickAndLoad(panel.locator('button[name=assign]'));
  await done.check();
  const facts = await page.locator('main').innerText();
  expect.includes(facts, 'ana', 'the inquiry is assigned to the one who triaged it');

  // the answer: the canned one, previewed in Spanish with her name and the reference
  await page.locator('select#canned').selectOption(`visas-${lang}`);
  const preview = await page.locator('textarea#body').inputValue();
  expect.equal(preview, `Estimada Rocío ${n}, sobre ${reference}: la carta está lista.`, 'the preview is the Spanish text, filled in');
  await page.locator('textarea#body').fill(preview + ' Saludos.');
  await t.clickAndLoad(page.locator('form[action$="/reply"] button[type=submit]'));
  expect.includes(await page.locator('ol.timeline').innerText(), 'la carta está lista. Saludos.', 'the thread shows the answer as edited');
  await done.check();

  // closed, with the workflow's own button
  await t.clickAndLoad(page.locator('form.moves button[value=closed]'));
  await done.check();
  expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     task 4 (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);

  // the requester reads the answer on the tracking page
  await t.page.context().clearCookies();
  await page.goto(tracking);
  expect.includes(await page.locator('main').innerText(), 'la carta está lista. Saludos.', 'the tracking page shows the answer');
}

export const task4InquiryEnglish = (t) => inquiryToClose(t, 'en');
export const task4InquiryFrench = (t) => inquiryToClose(t, 'fr');
export const task4InquirySpanish = (t) => inquiryToClose(t, 'es');

// 2. create an organization with names in three languages and a person in
//    it, meet the duplicate warning (which says why it matched), merge, find
//    the merge again later and undo it.
async function mergeAndUndo(t, lang) {
  const n = { en: 'Jessamoor', fr: 'Kestrelle', es: 'Lindavar' }[lang];
  const { page, expect } = t;
  await t.signIn('root');
  const existing = await api(t, 'POST', '/api/v1/organizations?force=true',
    { name: { en: `${n} Fisheries Board` }, acronym: `${n.slice(0, 2).toUpperCase()}FB`, type: 'government' });
  await t.page.context().clearCookies();
  const done = watch(t, lang);
  await signInAs(t, 'ana', lang);

  // the new organization, in three languages: the warning says why
  await t.clickAndLoad(page.locator('header.site nav.main a[href="/organizations"]'));
  await t.clickAndLoad(page.locator('main a[href="/organizations/new"]').first());
  await done.check();
  await page.locator('input[name="name.en"]').fill(`Fishing Authority of ${n}`);
  await page.locator('input[name=acronym]').fill(`${n.slice(0, 2).toUpperCase()}FB`);
  await page.locator('input[name="name.fr"]').fill(`Office des pêches de ${n}`);
  await page.locator('input[name="name.es"]').fill(`Junta de Pesca de ${n}`);
  await page.locator('select[name=type]').selectOption('government');
  await t.clickAndLoad(page.locator('main form.record button[type=submit]').first());
  const warning = await page.locator('main .notice.warning').innerText();
  expect.includes(warning, `${n} Fisheries Board`, 'the warning names the record it looks like');
  expect.ok(/ — \S/.test(warning), `the warning says why it matched (${warning})`);
  await done.check();
  await t.clickAndLoad(page.locator('main form.record button[name=force]'));
  const made = /^\/organizations\/(\d+)$/.exec(t.path());
  expect.ok(made, `created anyway (${t.path()})`);
  await done.check();

  // a person in it, from its page
  await t.clickAndLoad(page.locator(`main a[href="/persons/new?organization=${made[1]}"]`).first());
  await page.locator('input[name=given_name]').fill('Annelie');
  await page.locator('input[name=family_name]').fill(`${n}son`);
  await t.clickAndLoad(page.locator('main form.record button[type=submit]').first());
  expect.ok(/^\/persons\/\d+$/.test(t.path()), `the person is saved (${t.path()})`);
  await done.check();

  // merge the new one into the one that was there
  await t.clickAndLoad(page.locator('header.site nav.main a[href="/organizations"]'));
  await t.clickAndLoad(page.locator(`main a[href="/organizations/${existing.id}"]`).first());
  await page.locator('details.more > summary').click();
  await t.clickAndLoad(page.locator(`main a[href="/organizations/${existing.id}/merge"]`));
  await done.check();
  await pick(t, page.locator('input[name="merge.q"]'), `Fishing Authority of ${n}`,
    { en: `Fishing Authority of ${n}`, fr: `Office des pêches de ${n}`, es: `Junta de Pesca de ${n}` }[lang]);
  await t.clickAndLoad(page.locator('main form button[type=submit]').first());
  expect.ok(/^\/merges\/\d+$/.test(t.path()), `merged (${t.path()})`);
  await done.check();

  // later: the merge, found again from the organization's page, undone
  await t.clickAndLoad(page.locator('header.site nav.main a[href="/organizations"]'));
  await t.clickAndLoad(page.locator(`main a[href="/organizations/${existing.id}"]`).first());
  await t.clickAndLoad(page.locator('section[aria-labelledby="h-merges"] a').first());
  await t.clickAndLoad(page.locator('main form[action$="/undo"] button'));
  expect.equal(await page.locator('main form[action$="/undo"]').count(), 0, 'the merge is undone');
  await done.check();
  const back = await (await page.request.get(`${t.base}/api/v1/organizations/${made[1]}`)).json();
  expect.equal(back.archived, false, 'the merged organization is back');
  expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     task 2 (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const task2MergeEnglish = (t) => mergeAndUndo(t, 'en');
export const task2MergeFrench = (t) => mergeAndUndo(t, 'fr');
export const task2MergeSpanish = (t) => mergeAndUndo(t, 'es');

// Donor relations in the browser, in English, French and Spanish:
//
// 1. a pledge recorded through its form, its amount typed the way the
//    page's language writes numbers ("1 250 000,50" in French), the currency
//    in small letters: the pledge's page shows it back as the language writes
//    it, and the API holds the exact amount; the pages loaded and the forms
//    sent are counted;
// 2. the funding received, cut by donor and by year: the chart drawn by the
//    server is an image with its title and summary, every row of the table
//    is there, the rates used are listed, and the cuts are links;
// 3. the area's pages (lists, a donor's page with the programmes that fit
//    it, a programme's with its likely donors, the overdue reports, the
//    exchange rates) pass axe and, in French and Spanish, show no interface
//    text of the English catalog.
//
// The records are made through the API as root; each run has its own donor
// and dates, so that the runs on one server do not meet.

import { api } from './pages.mjs';
import { watch } from './watch.mjs';

const TYPED = { en: '1,250,000.50', fr: '1 250 000,50', es: '1.250.000,50' };
const SHOWN = { en: '1,250,000.50\u00a0EUR', fr: '1\u202f250\u202f000,50\u00a0EUR', es: '1.250.000,50\u00a0EUR' };
const DONOR = { en: 'Invented Larchmere Fund', fr: 'Invented Quillfeather Fund', es: 'Invented Brackenholt Fund' };
// each test's own years, so that the runs' exchange rates and totals never meet
const YEAR = { en: 2041, fr: 2042, es: 2043 };
const OFFSET = { pledge: 0, funding: 10, pages: 20 };

async function donorWorld(t, lang, test) {
  await t.signIn('root');
  const year = YEAR[lang] + OFFSET[test];
  const org = await api(t, 'POST', '/api/v1/organizations?force=true', { name: { en: `${DONOR[lang]} ${year}` }, type: 'foundation' });
  const profile = await api(t, 'POST', '/api/v1/donor-profiles',
    { organization: org.id, donor_type: 'foundation', priority_sectors: ['15190 5'], priority_countries: ['PH 4'] });
  const programme = await api(t, 'POST', '/api/v1/programmes',
    { title: { en: `Larchmere corridors ${year}`, fr: `Couloirs de Larchmere ${year}`, es: `Corredores de Larchmere ${year}` },
      sectors: ['15190 70', '16010 30'], countries: ['PH'], budget: { amount: '900000', currency: 'USD' } });
  await api(t, 'POST', '/api/v1/exchange-rates', { rate_date: `${year}-01-01`, currency: 'EUR', base: 'USD', rate: '1.1' });
  const pledge = await api(t, 'POST', '/api/v1/pledges',
    { donor: org.id, amount: { amount: '10000', currency: 'EUR' }, pledged_on: `${year}-01-01`, earmarking: 'earmarked',
      programme: programme.id });
  const contribution = await api(t, 'POST', '/api/v1/contributions',
    { pledge: pledge.id, received_on: `${year}-01-10`, amount: { amount: '4000', currency: 'EUR' } });
  await api(t, 'POST', '/api/v1/allocations', { contribution: contribution.id, programme: programme.id, share: '100' });
  const late = await api(t, 'POST', '/api/v1/reporting-deadlines',
    { pledge: pledge.id, deliverable: 'interim_narrative', due_on: `${year}-02-01` });
  return { org, profile, programme, pledge, late, year };
}

// ---- 1. a pledge typed in the page's language ------------------------------------------

async function pledgeByForm(t, lang) {
  const { page, expect } = t;
  const world = await donorWorld(t, lang, 'pledge');
  const done = watch(t, lang);
  await page.goto(`${t.base}/pledges/new?donor=${world.org.id}&lang=${lang}`);
  expect.equal(await page.locator('html').getAttribute('lang'), lang, 'the form is in the run\'s language');
  await done.check();
  await page.locator('input[name="amount.amount"]').fill(TYPED[lang]);
  await page.locator('input[name="amount.currency"]').fill('eur');
  await page.locator('select[name="earmarking"]').selectOption('unearmarked');
  await t.clickAndLoad(page.locator('form.record button[type=submit]'));
  const made = t.path().match(/^\/pledges\/(\d+)$/);
  expect.ok(made, `the pledge is made and shown (${t.path()})`);
  expect.includes(await page.locator('main').innerText(), SHOWN[lang], 'its amount as the language writes it');
  await done.check();
  const saved = await (await page.request.get(`${t.base}/api/v1/pledges/${made[1]}`)).json();
  expect.equal(JSON.stringify(saved.amount), JSON.stringify({ amount: '1250000.50', currency: 'EUR' }), 'kept exactly');
  expect.equal(done.english.join('; '), '', 'English words on the pages');
  console.log(`     pledge (${lang}): ${done.pages} pages loaded, ${done.forms} forms sent`);
}

export const donorsPledgeEnglish = (t) => pledgeByForm(t, 'en');
export const donorsPledgeFrench = (t) => pledgeByForm(t, 'fr');
export const donorsPledgeSpanish = (t) => pledgeByForm(t, 'es');

// ---- 2. the funding received -----------------------------------------------------------

async function fundingPage(t, lang) {
  const { page, expect } = t;
  const world = await donorWorld(t, lang, 'funding');
  const done = watch(t, lang);
  const q = `currency=USD&from=${world.year}-01-01&to=${world.year}-12-31`;
  await page.goto(`${t.base}/funding?by=donor&${q}&lang=${lang}`);
  await done.check();
  const chart = page.locator('figure.chart svg');
  expect.equal(await chart.getAttribute('role'), 'img', 'the chart is an image');
  const labelled = (await chart.getAttribute('aria-labelledby')) || '';
  expect.equal(labelled.split(/\s+/).length, 2, 'named by its title and its summary');
  expect.includes(await page.locator('figure.chart svg title').first().textContent(), '', 'it has a title');
  const rows = await page.locator('table.records tbody tr').allInnerTexts();
  expect.equal(rows.length, 1, 'one donor received from in that year');
  expect.includes(rows[0], DONOR[lang], 'named');
  expect.includes(await page.locator('main').innerText(), `1 EUR = 1.1 USD (${world.year}-01-01)`, 'the rate used');
  await t.clickAndLoad(page.locator('nav.pager a[href*="by=year"]'));
  expect.equal(await page.locator('figure.chart svg').count(), 1, 'the years drawn as columns');
  expect.includes(await page.locator('table.records tbody').innerText(), String(world.year), 'the year is a row');
  await done.check();
  expect.equal(done.english.join('; '), '', 'English words on the pages');
}

export const donorsFundingEnglish = (t) => fundingPage(t, 'en');
export const donorsFundingFrench = (t) => fundingPage(t, 'fr');
export const donorsFundingSpanish = (t) => fundingPage(t, 'es');

// ---- 3. the area's pages ---------------------------------------------------------------

async function areaPages(t, lang) {
  const { page, expect } = t;
  const world = await donorWorld(t, lang, 'pages');
  const done = watch(t, lang);
  const paths = ['/donor-profiles', `/donor-profiles/${world.profile.id}`, '/programmes', `/programmes/${world.programme.id}`,
    '/pledges', `/pledges/${world.pledge.id}`, '/reporting-deadlines?view=overdue', `/reporting-deadlines/${world.late.id}`,
    '/exchange-rates', '/appeals'];
  await page.goto(`${t.base}/?lang=${lang}`);
  for (const path of paths) {
    await page.goto(t.base + path);
    expect.equal(await page.locator('html').getAttribute('lang'), lang, `${path} is in the language chosen`);
    expect.equal(await page.locator('main h1').count(), 1, `${path} has its heading`);
    await done.check();
  }
  await page.goto(`${t.base}/donor-profiles/${world.profile.id}`);
  expect.includes(await page.locator('section[aria-labelledby="h-matches"]').innerText(), world.programme.title[lang],
    'the donor\'s page names the programme that fits it');
  expect.equal(done.english.join('; '), '', 'English words on the pages');
}

export const donorsPagesEnglish = (t) => areaPages(t, 'en');
export const donorsPagesFrench = (t) => areaPages(t, 'fr');
export const donorsPagesSpanish = (t) => areaPages(t, 'es');

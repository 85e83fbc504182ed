// Every kind of page, checked by axe: the runner checks each page a test
// opens, so this test opens one page of every kind there is — lists, records,
// forms, the desk, briefings, the knowledge base, administration, mail, errors — with
// records made for it through the API (pages.mjs).

import { adminPages, api, deskPages, governancePages, governanceRecords, meetingPages, meetingRecords, records, registryPages } from './pages.mjs';

// Opens each page (the runner checks it with axe) and checks its status and heading.
async function visit(t, pages) {
  for (const path of pages) {
    const res = await t.page.goto(t.base + path);
    const expected = path === '/no/such/page' ? 404 : 200;
    t.expect.equal(res.status(), expected, `${path} answers ${expected}`);
    t.expect.ok((await t.page.locator('main h1').count()) === 1, `${path} has one main heading`);
  }
}

export async function everyRegistryPageIsAccessible(t) {
  await visit(t, registryPages(await records(t)));
}

export async function everyDeskPageIsAccessible(t) {
  const { inquiry, article, briefing } = await records(t);
  // a reply the outbox holds (its relay is never there): the inquiry's page shows its Mail section
  await api(t, 'POST', `/api/v1/inquiries/${inquiry.reference}/reply`, { body: 'We will call you back.' });
  await visit(t, deskPages({ inquiry, article, briefing }));
  await t.page.goto(`${t.base}/inquiries/${inquiry.reference}`);
  t.expect.equal(await t.page.locator('#h-mail').count(), 1, 'the inquiry page shows its Mail section');
  t.expect.ok((await t.page.locator('section.mail').textContent()).includes('orla.vh@example.org'),
    'the Mail section names the recipient');
}

export async function everyMeetingsPageIsAccessible(t) {
  await visit(t, meetingPages(await meetingRecords(t)));
}

export async function everyGoverningBodiesPageIsAccessible(t) {
  await visit(t, governancePages(await governanceRecords(t)));
}

export async function everyAdminAndPublicPageIsAccessible(t) {
  const { org, article, inquiry, tracking } = await records(t);
  // mail waiting for the relay, for the administrators' list to show with its "Try again now"
  await api(t, 'POST', `/api/v1/inquiries/${inquiry.reference}/reply`, { body: 'We will write again soon.' });
  await visit(t, adminPages({ org, article, tracking }));
}

// The briefing pack in the visitors' language (Spanish) inside a page in the reader's (English),
// and on paper the pack alone with its marking.
export async function theBriefingPackKeepsItsLanguageAndPrints(t) {
  const { briefing } = await records(t);
  await t.page.goto(`${t.base}/briefings/${briefing.id}/pack?lang=en`);
  t.expect.equal(await t.page.locator('html').getAttribute('lang'), 'en', 'the page is the reader\'s');
  const pack = t.page.locator('article.pack');
  t.expect.equal(await pack.getAttribute('lang'), 'es', 'the pack says it is Spanish');
  t.expect.equal((await pack.locator('h1').textContent()).trim(), 'Dossier informativo', 'its heading is Spanish');
  t.expect.includes(await pack.locator('#h-agenda').textContent(), 'Orden del día', 'the agenda, in Spanish');
  t.expect.equal(await pack.locator('p.pack-marking').count(), 2, 'the marking at its top and bottom');
  t.expect.includes(await t.page.locator('p.pack-nav').textContent(), 'Briefings', 'the way back, in English');
  await t.page.emulateMedia({ media: 'print' });
  t.expect.ok(!(await t.page.locator('nav.main').isVisible()), 'no menu on paper');
  t.expect.ok(!(await t.page.locator('p.pack-nav').isVisible()), 'no links on paper');
  t.expect.ok(await pack.locator('p.pack-marking').first().isVisible(), 'the marking on paper');
  await t.page.emulateMedia({ media: 'screen' });
}

// Every kind of page, checked by axe: the runner checks each page a test
// opens, so this test opens one page of every kind there is — lists, records,
// forms, the desk, briefings, the knowledge base, administration, mail, errors — with
// records made for it through the API (pages.mjs).

import { adminPages, api, deskPages, records, registryPages } from './pages.mjs';

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

export async function everyAdminAndPublicPageIsAccessible(t) {
  const { org, article, inquiry } = await records(t);
  // mail waiting for the relay, for the administrators' list to show with its "Try again now"
  await api(t, 'POST', `/api/v1/inquiries/${inquiry.reference}/reply`, { body: 'We will write again soon.' });
  await visit(t, adminPages({ org, article }));
}

// Every kind of page, checked by axe: the runner checks each page a test
// opens, so this test opens one page of every kind there is — lists, records,
// forms, the desk, briefings, the knowledge base, administration, mail, errors — with
// records made for it through the API (the session's CSRF token on writes).

async function api(t, method, path, body) {
  const who = await t.page.request.get(t.base + '/api/v1/session');
  const csrf = (await who.json()).csrf_token;
  const res = await t.page.request.fetch(t.base + path, {
    method, data: body, headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
  });
  t.expect.ok(res.status() < 300, `${method} ${path} answered ${res.status()}: ${await res.text()}`);
  return res.json();
}

// Records for the pages to show, made as root.
async function records(t) {
  await t.signIn('root');
  const org = await api(t, 'POST', '/api/v1/organizations?force=true',
    { name: { en: 'Sweepwater Commons Trust', fr: 'Fonds commun de Sweepwater' }, type: 'foundation', country: 'CH' });
  const person = await api(t, 'POST', '/api/v1/persons?force=true',
    { given_name: 'Orla', family_name: 'Venkataraman-Holt', organization: org.id, emails: ['orla.vh@example.org'] });
  const interaction = await api(t, 'POST', '/api/v1/interactions',
    { date: '2026-10-02', kind: 'meeting', subject: 'Sweepwater annual review',
      participants: [{ kind: 'organizations', id: org.id }, { kind: 'persons', id: person.id }] });
  const article = await api(t, 'POST', '/api/v1/kb-articles',
    { title: { en: 'Sweepwater answers' }, body: { en: 'A public answer.' }, classification: 'public' });
  const inquiry = await api(t, 'POST', '/api/v1/inquiries',
    { channel: 'phone', subject: 'Sweepwater question', body: 'A question by telephone.', requester_organization: org.id,
      requester_email: 'orla.vh@example.org' });
  const briefing = await api(t, 'POST', '/api/v1/briefings',
    { title: 'Sweepwater delegation', organization: org.id, status: 'scheduled', language: 'es',
      starts_at: '2026-12-07T09:00:00Z', ends_at: '2026-12-07T10:00:00Z', time_zone: 'Europe/Zurich', room: 'Sala B',
      agenda: { es: 'Bienvenida\nInforme anual' }, talking_points: { es: 'Agradecer el apoyo' },
      visitors: [{ kind: 'persons', id: person.id }] });
  return { org, person, interaction, article, inquiry, briefing };
}

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
  const { org, person, interaction } = await records(t);
  await visit(t, [
    '/', '/organizations', '/organizations/new', `/organizations/${org.id}`, `/organizations/${org.id}/edit`,
    `/organizations/${org.id}/merge`, '/organizations/import', '/persons', `/persons/${person.id}`,
    `/persons/${person.id}/erase`, '/countries', '/countries/CH', '/interactions', `/interactions/${interaction.id}`,
    '/follow-ups', '/relationships', '/relationship-types', '/search?q=sweepwater', '/search?q=sweepwatr',
    `/organizations/${org.id}?lang=fr`, '/?lang=en',
  ]);
}

export async function everyDeskPageIsAccessible(t) {
  const { inquiry, article, briefing } = await records(t);
  // a reply the outbox holds (its relay is never there): the inquiry's page shows its Mail section
  await api(t, 'POST', `/api/v1/inquiries/${inquiry.reference}/reply`, { body: 'We will call you back.' });
  await visit(t, [
    '/desk', '/desk?overdue=1', `/inquiries/${inquiry.reference}`, '/inquiries/new', '/canned-answers',
    '/kb-articles', `/kb-articles/${article.id}`, '/routing-rules', '/briefings', `/briefings/${briefing.id}`,
    `/briefings/${briefing.id}/pack`, `/briefings/${briefing.id}/edit`, '/briefings/calendar?month=2026-12', `/inquiries/${inquiry.reference}?lang=es`,
    '/?lang=en',
  ]);
  await t.page.goto(`${t.base}/inquiries/${inquiry.reference}`);
  t.expect.equal(await t.page.locator('#h-mail').count(), 1, 'the inquiry page shows its Mail section');
  t.expect.ok((await t.page.locator('section.mail').textContent()).includes('orla.vh@example.org'),
    'the Mail section names the recipient');
}

export async function everyAdminAndPublicPageIsAccessible(t) {
  const { org, article, inquiry } = await records(t);
  // mail waiting for the relay, for the administrators' list to show with its "Try again now"
  await api(t, 'POST', `/api/v1/inquiries/${inquiry.reference}/reply`, { body: 'We will write again soon.' });
  await visit(t, [
    '/admin', '/users', '/users/root', '/admin/audit', `/admin/audit?kind=organizations&id=${org.id}`,
    '/admin/audit/verify', '/admin/outbox', '/admin/outbox?state=failed', '/help', `/help/${article.id}`, '/ask',
    '/no/such/page',
  ]);
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

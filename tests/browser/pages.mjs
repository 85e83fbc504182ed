// The pages of every kind the sweep opens, and the records they show, made
// through the API as root (the session's CSRF token on writes).  The sweep
// (sweep.test.mjs) checks each with axe at the default size; the phone sweep
// (phone.test.mjs) at 375 px wide.

// headers: more of them, e.g. If-Match for a PATCH.
export async function api(t, method, path, body, headers = {}) {
  const who = await t.page.request.get(t.base + '/api/v1/session');
  const csrf = (await who.json()).csrf_token;
  const res = await t.page.request.fetch(t.base + path, {
    method, data: body, headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json', ...headers },
  });
  t.expect.ok(res.status() < 300, `${method} ${path} answered ${res.status()}: ${await res.text()}`);
  return res.status() === 204 ? null : res.json(); // 204: no content
}

// Records for the pages to show, made as root.
export async function records(t) {
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
  const asked = await api(t, 'POST', '/api/v1/public/inquiries',
    { name: 'Orla Venkataraman-Holt', email: 'orla.vh@example.org', subject: 'Sweepwater visit', message: 'Can we visit?' });
  return { org, person, interaction, article, inquiry, briefing, tracking: asked.tracking };
}

// Every page of the registry: lists, records, forms, search.
export const registryPages = ({ org, person, interaction }) => [
  '/', '/organizations', '/organizations/new', `/organizations/${org.id}`, `/organizations/${org.id}/edit`,
  `/organizations/${org.id}/merge`, '/organizations/import', '/persons', `/persons/${person.id}`,
  `/persons/${person.id}/erase`, '/countries', '/countries/CH', '/interactions', `/interactions/${interaction.id}`,
  '/follow-ups', '/relationships', '/relationship-types', '/search?q=sweepwater', '/search?q=sweepwatr',
  `/organizations/${org.id}?lang=fr`, '/duplicates?kind=persons', '/?lang=en',
];

// The desk, the knowledge base and the briefings.
export const deskPages = ({ inquiry, article, briefing }) => [
  '/desk', '/desk?overdue=1', `/inquiries/${inquiry.reference}`, '/inquiries/new', '/canned-answers',
  '/kb-articles', `/kb-articles/${article.id}`, '/routing-rules', '/briefings', `/briefings/${briefing.id}`,
  `/briefings/${briefing.id}/pack`, `/briefings/${briefing.id}/edit`, '/briefings/calendar?month=2026-12', `/inquiries/${inquiry.reference}?lang=es`,
  '/?lang=en',
];

// The meetings tracker: a meeting with its priority explained and its gap, a representation,
// the rules, the lists behind the home page's counts, in three languages.
export async function meetingRecords(t) {
  await t.signIn('root');
  await api(t, 'POST', '/api/v1/meeting-priority-rules', { name: 'Sweepwater ministerials', level: 'ministerial', points: 70 });
  const soon = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
  const meeting = await api(t, 'POST', '/api/v1/meetings',
    { title: { en: 'Sweepwater ministerial forum', fr: 'Forum ministériel de Sweepwater' }, starts_on: soon,
      level: 'ministerial', topics: ['coastal mobility'], member_states: ['CH'] });
  const representation = await api(t, 'POST', '/api/v1/representations', { meeting: meeting.id, who: 1, status: 'proposed' });
  return { meeting, representation };
}

export const meetingPages = ({ meeting, representation }) => [
  '/meetings', '/meetings?view=unrepresented', '/meetings/new', `/meetings/${meeting.id}`, `/meetings/${meeting.id}/edit`,
  `/meetings/${meeting.id}?lang=fr`, `/meetings/${meeting.id}?lang=es`, '/representations',
  '/representations?view=report-overdue', `/representations/${representation.id}`, '/meeting-priority-rules',
  '/meeting-priority-rules/new', '/?lang=en',
];

// A session of a body with an agenda item, a document with a version in each language, a delegation.
export async function governanceRecords(t) {
  await t.signIn('root');
  await api(t, 'POST', '/api/v1/bodies', { series: 'BW', type: 'council', name: { en: 'Brightwater Council', fr: 'Conseil de Brightwater' },
    notice_days: 30, documents_due_weeks: 6 });
  const opens = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);
  const closes = new Date(Date.now() + 22 * 86400e3).toISOString().slice(0, 10);
  const session = await api(t, 'POST', '/api/v1/sessions', { body: 'BW', number: '12', starts_on: opens, ends_on: closes, venue: 'Geneva' });
  const item = await api(t, 'POST', '/api/v1/agenda-items', { session: session.id, number: '1', title: { en: 'Opening' } });
  const doc = await api(t, 'POST', '/api/v1/documents', { symbol: 'BW/12/1', title: { en: 'Provisional agenda', fr: 'Ordre du jour provisoire' },
    original_language: 'en', agenda_item: item.id });
  const versions = [];
  for (const language of ['en', 'fr']) versions.push(await api(t, 'POST', '/api/v1/document-versions', { document: doc.id, language }));
  const org = await api(t, 'POST', '/api/v1/organizations?force=true', { name: { en: 'Brightwater Mission' }, type: 'permanent_mission', country: 'CH' });
  const delegation = await api(t, 'POST', '/api/v1/delegations', { session: session.id, organization: org.id, category: 'member_state' });
  return { session, doc, version: versions[0], delegation, year: opens.slice(0, 4) };
}

export const governancePages = ({ session, doc, version, delegation, year }) => [
  '/sessions/calendar', `/sessions/calendar?year=${year}`, '/sessions', `/sessions/${session.id}`, `/sessions/${session.id}?lang=fr`,
  `/sessions/${session.id}/participants`, `/sessions/${session.id}/participants?lang=es`, '/documents', `/documents/${doc.id}`,
  `/document-versions/${version.id}`, `/delegations/${delegation.id}`, '/bodies', '/decisions/new', '/speaker-requests/new',
];

// Administration, the public pages and an error.
export const adminPages = ({ org, article, tracking }) => [
  '/admin', '/users', '/users/root', '/admin/audit', `/admin/audit?kind=organizations&id=${org.id}`,
  '/admin/audit/verify', '/admin/outbox', '/admin/outbox?state=failed', '/help', `/help/${article.id}`, '/ask', tracking,
  '/no/such/page',
];

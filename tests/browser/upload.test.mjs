// An upload's progress: importing a CSV file from the import page shows how
// much of the file has been sent, then that the server is checking its rows,
// and the report comes into the same page (no new page load); in French, the
// progress is told in French.

// A file of n organizations with invented names (two made-up words each, so
// that no row looks like another) and long notes, so that sending it takes
// more than one step of the browser's upload.
function organizationsFile(n, tag) {
  const syllables = ['bel', 'dor', 'fen', 'gar', 'hul', 'kes', 'lom', 'mar', 'nev', 'orr', 'pim', 'quon',
    'ras', 'sul', 'tav', 'ulm', 'ver', 'wen', 'yar', 'zel'];
  const word = (i) => syllables[i % 20] + syllables[Math.floor(i / 20) % 20] + 'ane';
  const notes = 'Minutes of the harbour board kept here. '.repeat(100);
  let text = 'name_en,type,notes\n';
  for (let i = 0; i < n; i++)
    text += `${tag} ${word(i)} ${word(i * 7 + 3).replace('ane', 'ick')} Cooperative,cso,"${notes}"\n`;
  return Buffer.from(text);
}

// What the progress box showed while the file went, recorded in the page.
async function recordProgress(page) {
  await page.evaluate(() => {
    window.progressSeen = [];
    window.stillHere = true;
    const box = document.getElementById('upload');
    const note = () => {
      const bar = box.querySelector('progress');
      window.progressSeen.push({ hidden: box.hidden, label: box.querySelector('label').textContent,
        value: bar.hasAttribute('value') ? bar.value : null });
    };
    new MutationObserver(note).observe(box, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}

async function importWithProgress(t, lang, words) {
  const { page, expect } = t;
  await page.goto(`${t.base}/organizations/import?lang=${lang}`);
  await recordProgress(page);
  await page.locator('input[type=file]').setInputFiles({ name: 'cooperatives.csv', mimeType: 'text/csv',
    buffer: organizationsFile(25, words.tag) });
  await page.locator('#dry_run').check();
  await page.locator('form[data-progress] button[type=submit]').click();
  await page.locator('main .notice.success').waitFor();
  const seen = await page.evaluate(() => window.progressSeen);
  expect.ok(seen.length > 0 && !seen[0].hidden, `the progress box was shown (${JSON.stringify(seen.slice(0, 3))})`);
  expect.ok(seen.some((s) => s.label === words.sending && s.value !== null), 'the bar said how much was sent');
  expect.ok(seen.some((s) => s.label === words.checking && s.value === null),
    'then that the rows were being checked, with no value to show');
  expect.ok(await page.evaluate(() => window.stillHere === true), 'the report came into the same page');
  expect.equal(t.path(), '/organizations/import', 'the address stays the import page');
  expect.ok((await page.locator('main .notice.success').innerText()).includes('25'), 'the report counts the 25 rows');
  await t.axe();
}

export async function anUploadShowsItsProgress(t) {
  await t.signIn('ana');
  await importWithProgress(t, 'en', { tag: 'Upload', sending: 'Sending the file…',
    checking: 'Sending done: checking the rows…' });
  await importWithProgress(t, 'fr', { tag: 'Envoi', sending: 'Envoi du fichier…',
    checking: 'Fichier envoyé : vérification des lignes…' });
}

// Signing in and out through the web pages.

// Wrong credentials show an error on the sign-in page; right ones lead to the
// home page with the user's name in the header; signing out leads back.
export async function signInAndOut(t) {
  const { page, expect } = t;
  await page.goto(t.base + '/sign-in');
  await page.getByLabel('Name', { exact: true }).fill('ana');
  await page.getByLabel('Password', { exact: true }).fill('not-ana-s-password-at-all');
  await t.clickAndLoad(page.getByRole('button', { name: 'Sign in', exact: true }));
  expect.equal(t.path(), '/sign-in', 'wrong credentials stay on the sign-in page');
  const error = page.locator('div.notice.error');
  expect.ok(await error.isVisible(), 'wrong credentials show div.notice.error');
  expect.equal(await error.getAttribute('role'), 'alert', 'the error notice is announced (role)');

  await t.signIn('ana');
  expect.equal(t.path(), '/', 'signing in leads to the home page');
  expect.ok(await page.locator('h1').first().isVisible(), 'the home page has an h1');
  expect.includes(await page.locator('header.site').innerText(), 'ana', 'the header names the user');

  await t.clickAndLoad(page.locator('form.sign-out').getByRole('button', { name: 'Sign out', exact: true }));
  expect.equal(t.path(), '/sign-in', 'signing out leads to the sign-in page');
  expect.equal(await page.locator('form.sign-out').count(), 0, 'no sign-out button once signed out');
}

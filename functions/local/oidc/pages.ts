import { escapeHtml } from '#domain/escape-html';
import type { LocalPerson } from './person';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — Merit local sign-in</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>
</html>`;

/** The local provider's "who are you?" form: a fieldset of radio buttons and one submit button, no script. */
export const pickPersonPage = (options: { action: string; people: LocalPerson[] }): string =>
  page(
    'Sign in to Merit (local)',
    `<p>This is the local stand-in for the district's sign-in page. Pick a person.</p>
<form method="post" action="${escapeHtml(options.action)}">
<fieldset><legend>Sign in as</legend>
${options.people
  .map(
    (person, i) =>
      `<div><input type="radio" name="subject" id="person-${i}" value="${escapeHtml(person.subject)}"${i === 0 ? ' required' : ''}><label for="person-${i}">${escapeHtml(person.label)} (${escapeHtml(person.subject)})</label></div>`,
  )
  .join('\n')}
</fieldset>
<button type="submit">Sign in</button>
</form>`,
  );

/** oidc-provider's own end-session form (a hidden form) with plain buttons, and no third-party font. */
export const signOutPage = (form: string, title = 'Sign out of Merit?') =>
  page(
    title,
    form.includes('op.logoutForm')
      ? `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> <button type="submit" form="op.logoutForm">No, stay signed in</button>`
      : form,
  );

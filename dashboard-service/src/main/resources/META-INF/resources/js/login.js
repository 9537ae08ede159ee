// The login page: posts the user name and password as JSON, then goes back to the page that sent the user here.
import { t, loadMessages, translateDocument } from './i18n.js';

/**
 * Where to go after logging in: a path of this site only, never another site. The page's own fragment (#/…), which
 * a redirect keeps but the server never sees, goes along.
 */
function next() {
  const target = new URLSearchParams(location.search).get('next') || '/';
  const path = target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\') ? target : '/';
  return path.includes('#') ? path : path + location.hash;
}

async function alreadyIn() {
  const response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  if (response.ok) location.replace(next());
}

function show(message) {
  const box = document.getElementById('login-error');
  box.textContent = message;
  box.hidden = false;
}

document.getElementById('login').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
    });
    if (response.ok) {
      location.replace(next());
      return;
    }
    let detail = `${response.status} ${response.statusText}`;
    try {
      detail = (await response.json()).detail || detail;
    } catch (ignored) {
      // not problem+json: keep the status line
    }
    show(detail);
    form.password.value = '';
    form.password.focus();
  } catch (error) {
    show(t('login.unreachable', { reason: error.message }));
  } finally {
    button.disabled = false;
  }
});

await loadMessages();
translateDocument();
alreadyIn();

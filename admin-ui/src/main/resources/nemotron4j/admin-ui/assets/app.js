// The dashboard's shell: session, navigation by URL hash, theme, sign-in and sign-out.

import { api, logout, onUnauthorized, toLogin, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { toast } from './ui.js';

const pages = {
  overview: { title: 'Overview', load: () => import('./pages/overview.js') },
  tenants: { title: 'Tenants', load: () => import('./pages/tenants.js') },
  keys: { title: 'API keys', load: () => import('./pages/keys.js') },
  usage: { title: 'Usage', load: () => import('./pages/usage.js') },
  audit: { title: 'Audit', load: () => import('./pages/audit.js') },
  playground: { title: 'Playground', load: () => import('./pages/playground.js') },
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const whoami = document.getElementById('whoami');
const logoutButton = document.getElementById('logout');
let leavePage = null;
let me = null;

setUpTheme();
logoutButton.addEventListener('click', signOut);
window.addEventListener('hashchange', async () => {
  await route();
  // A new page was chosen: screen readers and keyboard users start at its content, not in the navigation.
  main.focus({ preventScroll: true });
});
// The session ended (timed out, signed out elsewhere): back to the sign-in page, which returns here.
onUnauthorized(toLogin);
start();

async function start() {
  try {
    me = await api.me();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      replace(main, h('div', { class: 'alert danger', role: 'alert' }, h('h2', {}, 'The admin API is not reachable'), h('p', {}, error.message)));
    }
    return;
  }
  signedIn();
}

function signedIn() {
  whoami.textContent = me.name;
  whoami.hidden = false;
  route();
}

async function route() {
  if (!me) return;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name] ? name : 'overview';
  if (!pages[name]) {
    history.replaceState(null, '', '#/overview');
  }
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  leavePage?.();
  leavePage = null;
  document.title = `${pages[page].title} · Nemotron4j admin`;
  const module = await pages[page].load();
  replace(main);
  try {
    leavePage = (await module.render(main, { me, args: rest })) ?? null;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      main.append(h('div', { class: 'alert danger', role: 'alert' }, h('h2', {}, 'Could not load this page'), h('p', {}, error.message)));
    }
  }
}

async function signOut() {
  try {
    await logout();
  } catch (error) {
    toast(`Sign-out failed: ${error.message}`, 'error');
  }
}

function setUpTheme() {
  const button = document.getElementById('theme-toggle');
  const root = document.documentElement;
  const label = () => button.setAttribute('aria-label', root.dataset.theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme');
  label();
  button.addEventListener('click', () => {
    root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('n4j-theme', root.dataset.theme);
    label();
  });
  // Follow the system until the user picks a theme here.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (event) => {
    if (!localStorage.getItem('n4j-theme')) {
      root.dataset.theme = event.matches ? 'dark' : 'light';
      label();
    }
  });
}

// The dashboard's shell: session, navigation by URL hash, theme, sign-in and sign-out.

import { api, login, logout, onUnauthorized, ApiError } from './api.js';
import { h, replace, uid } from './dom.js';
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
const shell = document.querySelector('.shell');
const whoami = document.getElementById('whoami');
const logoutButton = document.getElementById('logout');
let leavePage = null;
let me = null;

setUpTheme();
logoutButton.addEventListener('click', signOut);
window.addEventListener('hashchange', route);
onUnauthorized(() => {
  if (me) {
    me = null;
    showLogin('Your session has ended. Sign in again.');
  }
});
start();

async function start() {
  try {
    me = await api.me();
    signedIn();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      showLogin(error.status === 403 ? 'This account does not have the admin role.' : null);
    } else {
      replace(main, h('div', { class: 'alert danger', role: 'alert' }, h('h2', {}, 'The admin API is not reachable'), h('p', {}, error.message)));
    }
  }
}

function signedIn() {
  whoami.textContent = me.name;
  whoami.hidden = false;
  logoutButton.hidden = false;
  nav.hidden = false;
  shell.classList.remove('no-nav');
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

function showLogin(message) {
  leavePage?.();
  leavePage = null;
  whoami.hidden = true;
  logoutButton.hidden = true;
  nav.hidden = true;
  shell.classList.add('no-nav');
  document.title = 'Sign in · Nemotron4j admin';
  const userId = uid('user');
  const passId = uid('pass');
  const error = h('div', { class: 'alert danger', role: 'alert', id: 'login-error', hidden: !message }, message ?? '');
  const submit = h('button', { class: 'button', type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card login-card', id: 'login-form', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in'),
    h('p', { class: 'muted' }, 'Nemotron4j administration needs an account with the admin role.'),
    error,
    h('div', { class: 'field' }, h('label', { for: userId }, 'User name'),
      h('input', { id: userId, name: 'username', autocomplete: 'username', required: true })),
    h('div', { class: 'field' }, h('label', { for: passId }, 'Password'),
      h('input', { id: passId, name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      me = await login(form.username.value, form.password.value);
      if (!location.hash) history.replaceState(null, '', '#/overview');
      signedIn();
    } catch (failure) {
      error.textContent = failure.status === 403
        ? 'Signed in, but this account does not have the admin role.'
        : 'Sign-in failed: wrong user name or password.';
      error.hidden = false;
      form.password.value = '';
      form.password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, h('div', { class: 'login-wrap' }, form));
  form.username.focus();
}

async function signOut() {
  try {
    await logout();
  } catch (error) {
    toast(`Sign-out failed: ${error.message}`, 'error');
    return;
  }
  me = null;
  showLogin('You have signed out.');
  document.getElementById('login-error').className = 'alert ok';
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

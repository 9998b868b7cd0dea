// Playground: a prompt as a chosen tenant, governed and audited like any request; reasoning and answer stream apart.

import { api, ApiError, apiUrl, readEventStream, send } from '../api.js';
import { fmtInt, fmtTime, h, replace, uid } from '../dom.js';
import { checkbox, field, pageHead, tenantOptions } from '../ui.js';

const DEFAULT_MAX_BUDGET = 4096;

export async function render(main) {
  const tenants = await api.tenants();
  main.append(pageHead('Playground', 'Send a prompt as a tenant. It counts against the tenant\'s limits and is audited with you as the principal.'));
  if (!tenants.length) {
    main.append(h('div', { class: 'alert warn' }, 'Create a tenant first. ', h('a', { href: '#/tenants/new' }, 'New tenant')));
    return;
  }
  const promptId = uid('prompt');
  const budgetId = uid('budget');
  const budget = h('input', { id: budgetId, name: 'thinkingBudget', type: 'range', min: 0, max: DEFAULT_MAX_BUDGET, step: 16, value: 512 });
  const budgetOut = h('output', { for: budgetId, id: 'budget-value' }, '512');
  const thinking = checkbox('Thinking', 'thinking', true);
  const submit = h('button', { class: 'button', type: 'submit', id: 'send-prompt' }, 'Send');
  const stop = h('button', { class: 'button ghost', type: 'button', id: 'stop-prompt', disabled: true }, 'Stop');
  const form = h('form', { id: 'playground-form', class: 'card' },
    h('div', { class: 'form-grid' },
      field('Tenant', 'tenantId', { options: tenantOptions(tenants) }),
      field('Max tokens', 'maxTokens', { type: 'number', value: 256, attrs: { min: 1, step: 1 } }),
      field('Temperature', 'temperature', { type: 'number', value: 0.6, attrs: { min: 0, max: 2, step: 0.1 } })),
    h('div', { class: 'field', style: 'margin-top: .9rem' },
      h('label', { for: promptId }, 'Prompt'),
      h('textarea', { id: promptId, name: 'prompt', rows: 4, required: true, placeholder: 'Ask the model something…' })),
    h('div', { class: 'form-grid', style: 'margin-top: .9rem; align-items: end' },
      thinking,
      h('div', { class: 'field' }, h('label', { for: budgetId }, 'Thinking budget (tokens)'), h('div', { class: 'slider-row' }, budget, budgetOut))),
    h('div', { class: 'form-actions' }, stop, submit));
  const thinkingBox = thinking.querySelector('input');
  const tenantSelect = form.elements.tenantId;
  const applyPolicy = () => {
    const tenant = tenants.find((t) => t.id === tenantSelect.value);
    const limits = tenant?.limits ?? {};
    budget.max = limits.thinkingMaxBudget ?? DEFAULT_MAX_BUDGET;
    if (limits.thinkingDefaultBudget) budget.value = Math.min(limits.thinkingDefaultBudget, budget.max);
    budgetOut.textContent = budget.value;
    if (limits.thinkingAllowed === false) thinkingBox.checked = false;
    budget.disabled = !thinkingBox.checked;
  };
  budget.addEventListener('input', () => { budgetOut.textContent = budget.value; });
  thinkingBox.addEventListener('change', () => { budget.disabled = !thinkingBox.checked; });
  tenantSelect.addEventListener('change', applyPolicy);
  applyPolicy();

  const output = h('div', { id: 'playground-output', style: 'margin-top: 1rem' });
  main.append(form, output);
  let controller = null;
  stop.addEventListener('click', () => controller?.abort());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    controller = new AbortController();
    submit.disabled = true;
    stop.disabled = false;
    try {
      await run(form, output, controller.signal);
    } finally {
      submit.disabled = false;
      stop.disabled = true;
      controller = null;
    }
  });
  return () => controller?.abort();
}

async function run(form, output, signal) {
  const thinkingOn = form.elements.thinking.checked;
  const number = (name) => (form.elements[name].value === '' ? undefined : Number(form.elements[name].value));
  const body = {
    tenantId: form.elements.tenantId.value,
    prompt: form.elements.prompt.value,
    thinking: thinkingOn,
    thinkingBudget: thinkingOn ? number('thinkingBudget') : undefined,
    maxTokens: number('maxTokens'),
    temperature: number('temperature'),
  };
  const reasoning = h('pre', { class: 'stream', id: 'reasoning-text', 'aria-live': 'polite' });
  const answer = h('pre', { class: 'stream', id: 'answer-text', 'aria-live': 'polite' });
  const reasoningPanel = h('details', { class: 'reasoning-panel', id: 'reasoning-panel', open: true, hidden: !thinkingOn },
    h('summary', {}, 'Reasoning'), reasoning);
  const status = h('p', { class: 'muted', id: 'playground-status', role: 'status' }, 'Waiting for the first token…');
  const counts = h('div', { class: 'token-counts', id: 'token-counts' });
  replace(output, reasoningPanel, h('section', { class: 'card answer', 'aria-labelledby': 'answer-title' },
    h('h2', { id: 'answer-title' }, 'Answer'), answer, counts), status);

  let response;
  try {
    response = await send('POST', apiUrl('playground'), { body, signal, headers: { Accept: 'text/event-stream, application/problem+json' } });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    replace(output, error.status === 429 ? refusal(error.problem) : problemAlert(error));
    return;
  }
  let done = null;
  try {
    await readEventStream(response, (name, data) => {
      if (name === 'reasoning') {
        reasoning.textContent += data.text;
        status.textContent = 'Reasoning…';
      } else if (name === 'answer') {
        if (!answer.textContent && reasoning.textContent) reasoningPanel.open = false;
        answer.textContent += data.text;
        status.textContent = 'Answering…';
      } else if (name === 'done') {
        done = data;
      }
    });
  } catch (error) {
    if (error.name !== 'AbortError') throw error;
    status.textContent = 'Stopped.';
    return;
  }
  if (!reasoning.textContent) reasoningPanel.hidden = true;
  if (done) {
    status.textContent = `Finished: ${done.finishReason}.`;
    replace(counts,
      h('span', { class: 'badge' }, `Input ${fmtInt(done.inputTokens)}`),
      h('span', { class: 'badge' }, `Reasoning ${fmtInt(done.reasoningTokens)}`),
      h('span', { class: 'badge' }, `Output ${fmtInt(done.outputTokens)}`),
      done.requestId ? h('a', { class: 'badge', href: '#/audit/requests', title: done.requestId }, 'In the audit log') : null);
  } else if (!status.textContent.startsWith('The generation failed')) {
    status.textContent = 'The stream ended without a result.';
  }
}

function refusal(problem) {
  const facts = [
    ['Limit', problem.limit], ['Limit value', fmtInt(problem.limitValue)], ['In use', fmtInt(problem.current)],
    ['Requested', fmtInt(problem.requested)], ['Resets at', problem.resetsAt ? fmtTime(problem.resetsAt) : '—'],
    ['Retry after', problem.retryAfterSeconds ? `${fmtInt(problem.retryAfterSeconds)} s` : '—'], ['Request', problem.requestId],
  ];
  return h('div', { class: 'alert danger', role: 'alert', id: 'refusal' },
    h('h2', {}, 'Refused: over the tenant\'s limit'),
    h('p', {}, problem.detail ?? problem.title),
    h('dl', { class: 'facts' }, facts.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')])));
}

function problemAlert(error) {
  return h('div', { class: 'alert danger', role: 'alert', id: 'playground-error' },
    h('h2', {}, error.problem.title ?? 'Not sent'),
    h('p', {}, error.message),
    error.fieldErrors.length ? h('ul', {}, error.fieldErrors.map((e) => h('li', {}, `${e.field}: ${e.message}`))) : null);
}

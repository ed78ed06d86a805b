// Live view of the lock-state stream (server-sent events). Rows are keyed by tenant; a DEGRADED
// tenant shows a countdown to its lock deadline. No framework: the page is tiny.
(function () {
  'use strict';
  const tenants = new Map();
  const body = document.getElementById('tenants');
  const connection = document.getElementById('connection');
  window.__dashboardLoadedAt = Date.now(); // lets browser tests prove updates arrive without a reload

  function text(value) { return value == null ? '' : String(value); }

  function countdown(state) {
    if (state.status !== 'DEGRADED' || !state.lockDeadline) return '';
    const seconds = Math.max(0, Math.round((Date.parse(state.lockDeadline) - Date.now()) / 1000));
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
  }

  function row(state) {
    let tr = body.querySelector('tr[data-tenant="' + CSS.escape(state.tenantId) + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.tenant = state.tenantId;
      ['tenant', 'status', 'countdown', 'reason', 'since', 'probe'].forEach(function (name) {
        const td = document.createElement('td');
        td.className = name;
        tr.appendChild(td);
      });
      tr.querySelector('td.status').appendChild(document.createElement('span'));
      body.appendChild(tr);
    }
    tr.dataset.status = state.status;
    tr.querySelector('td.tenant').textContent = state.tenantId;
    tr.querySelector('td.status span').textContent = state.status;
    tr.querySelector('td.countdown').textContent = countdown(state);
    tr.querySelector('td.reason').textContent = text(state.reason);
    tr.querySelector('td.since').textContent = text(state.since);
    tr.querySelector('td.probe').textContent = text(state.lastProbe);
  }

  function refreshCounts() {
    const counts = { HEALTHY: 0, DEGRADED: 0, LOCKED: 0 };
    tenants.forEach(function (s) { counts[s.status] = (counts[s.status] || 0) + 1; });
    Object.keys(counts).forEach(function (k) { document.getElementById('count-' + k).textContent = counts[k]; });
    document.getElementById('empty').hidden = tenants.size > 0;
  }

  const source = new EventSource('/api/v1/lock-states/stream');
  source.onopen = function () { connection.dataset.state = 'live'; connection.textContent = 'live'; };
  source.onerror = function () { connection.dataset.state = 'lost'; connection.textContent = 'reconnecting…'; };
  source.onmessage = function (event) {
    const state = JSON.parse(event.data);
    tenants.set(state.tenantId, state);
    row(state);
    refreshCounts();
  };
  setInterval(function () {
    tenants.forEach(function (state) {
      if (state.status === 'DEGRADED') row(state);
    });
  }, 1000);
})();

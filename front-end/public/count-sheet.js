// The stocktake count sheet's own script: a count is never lost and never
// applied twice on a cellar's flaky connection. Served from our origin (no
// inline script: the CSP stays default-src 'self'). Without script every row
// is a plain form post with its own idempotency key, and that still works.
//
// Each Save goes into a queue in localStorage (one per stocktake, one entry per
// product: a later count of a product replaces its earlier one, as on the
// server) with an idempotency key, then is sent with fetch. The key is kept
// while the same values are queued (a double tap, or a retry after a reply
// that never arrived, is answered by the worker with its first reply) and is
// new whenever the values change. A sent count leaves the queue only on an
// answer: done (2xx) or refused (4xx, shown beside the row). Anything else (no
// connection, a timeout, a 5xx, a session that ended) keeps it, and it is sent
// again when the browser is back online, every few seconds, and when the page
// is opened again.
(function () {
  'use strict';
  var sheet = document.querySelector('[data-stocktake]');
  if (!sheet || !window.fetch || !window.URLSearchParams) return;

  var stocktakeId = sheet.getAttribute('data-stocktake');
  var STORE = 'barback.stocktake.' + stocktakeId + '.queue';
  var RETRY_MS = 10000;
  // A request on a dying connection can hang for minutes; after this it counts as not sent (it is kept and retried).
  var TIMEOUT_MS = 15000;
  var status = sheet.querySelector('[data-testid=sync-status]');
  var progressText = sheet.querySelector('[data-testid=progress]');
  var progressBar = sheet.querySelector('progress');

  // localStorage can be missing or full (a private window): the queue then lives as long as the page.
  var memory = {};
  function load() {
    try {
      var text = window.localStorage.getItem(STORE);
      return text ? JSON.parse(text) : {};
    } catch (e) {
      return memory;
    }
  }
  function store(queue) {
    memory = queue;
    try {
      if (Object.keys(queue).length) window.localStorage.setItem(STORE, JSON.stringify(queue));
      else window.localStorage.removeItem(STORE);
    } catch (e) {
      // Kept in memory above.
    }
  }

  // crypto.randomUUID exists only in secure contexts, and a bar's LAN is often plain http: a v4 UUID from getRandomValues.
  function newKey() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function rowOf(productId) {
    return document.getElementById('p-' + productId);
  }

  function badge(row, testid, className, text) {
    var el = row.querySelector('[data-testid=' + testid + ']');
    if (text === null) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      el = document.createElement('span');
      el.className = className;
      el.setAttribute('data-testid', testid);
      var name = row.querySelector('.count-name');
      if (name) name.after(el);
      else row.prepend(el);
    }
    el.textContent = text;
  }

  function showRowError(row, message, field) {
    clearRowError(row);
    var p = document.createElement('p');
    p.className = 'error count-error';
    p.id = row.id + '-error';
    p.setAttribute('role', 'alert');
    p.setAttribute('data-testid', 'count-error');
    p.textContent = message;
    row.append(p);
    var input = row.querySelector('[name=' + (field === 'partialGrams' || field === 'partialTenths' ? field : 'fullUnits') + ']');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', p.id);
    }
  }
  function clearRowError(row) {
    var old = row.querySelector('[data-testid=count-error]');
    if (old) old.remove();
    row.querySelectorAll('[aria-invalid]').forEach(function (input) {
      input.removeAttribute('aria-invalid');
      // The weight's hint is its own description; only the error's reference goes.
      if (input.getAttribute('aria-describedby') === row.id + '-error') {
        var hint = row.querySelector('.hint');
        if (input.name === 'partialGrams' && hint) input.setAttribute('aria-describedby', hint.id);
        else input.removeAttribute('aria-describedby');
      }
    });
  }

  function updateProgress() {
    var total = sheet.querySelectorAll('form.count-row').length;
    var done = sheet.querySelectorAll('form.count-row [data-testid=counted]').length;
    if (progressText) progressText.textContent = done + ' of ' + total + ' counted';
    if (progressBar) {
      progressBar.max = total;
      progressBar.value = done;
    }
  }

  var state = 'idle'; // idle | offline | login
  function say(text) {
    if (status && status.textContent !== text) status.textContent = text;
  }
  function updateStatus() {
    var n = Object.keys(load()).length;
    var counts = n === 1 ? '1 count' : n + ' counts';
    var closeNote = sheet.querySelector('[data-testid=close-waiting]');
    if (n === 0 && closeNote) closeNote.remove();
    if (n === 0) say(state === 'sent' ? 'All counts sent.' : '');
    else if (state === 'login') say(counts + ' saved on this tablet, not sent: your session has ended. Log in again and open this stocktake to send them.');
    else if (state === 'offline') say(counts + ' saved on this tablet, sending when the connection is back.');
    else say('Sending ' + counts + '…');
  }

  function csrfToken() {
    var field = sheet.querySelector('input[name=_csrf]');
    return field ? field.value : '';
  }

  /** One count to the server: 'done', 'refused' (both final), 'offline' or 'login' (kept for later). */
  function send(item) {
    var body = new URLSearchParams();
    body.set('_csrf', csrfToken());
    body.set('idempotencyKey', item.key);
    body.set('productId', item.productId);
    Object.keys(item.fields).forEach(function (k) { body.set(k, item.fields[k]); });
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch('/stocktakes/' + stocktakeId + '/count', {
      method: 'POST',
      body: body,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      // A redirect here means the session ended (to /login): not followed, the count is kept.
      redirect: 'manual',
      cache: 'no-store',
      signal: controller ? controller.signal : undefined,
    })
      .then(function (res) {
        var json = (res.headers.get('content-type') || '').indexOf('application/json') === 0;
        if (res.ok && json) return res.json().then(function (data) { return { outcome: 'done', data: data }; });
        if (res.status >= 400 && res.status < 500 && json) {
          return res.json().then(function (data) { return { outcome: 'refused', error: (data && data.error) || {} }; });
        }
        // A redirect to log in, or a page instead of an answer (an expired CSRF token): a new session sends it.
        if (res.type === 'opaqueredirect' || (res.status >= 400 && res.status < 500)) return { outcome: 'login' };
        return { outcome: 'offline' };
      })
      .catch(function () { return { outcome: 'offline' }; })
      .finally(function () { if (timer) clearTimeout(timer); });
  }

  /** Drops the item from the queue, unless a newer count of the product has replaced it meanwhile. */
  function settle(item) {
    var queue = load();
    var now = queue[item.productId];
    if (now && now.key === item.key) {
      delete queue[item.productId];
      store(queue);
      return true;
    }
    return false;
  }

  var sending = false;
  var again = false;
  function flush() {
    if (sending) {
      again = true;
      return;
    }
    var queue = load();
    var items = Object.keys(queue).map(function (k) { return queue[k]; }).sort(function (a, b) { return a.at - b.at; });
    if (!items.length) return;
    sending = true;
    again = false;
    updateStatus();
    // One at a time, oldest first: on a dead connection the first failure stops the round instead of timing out each.
    var next = function (i) {
      if (i >= items.length) return Promise.resolve('done');
      var item = items[i];
      return send(item).then(function (result) {
        var row = rowOf(item.productId);
        if (result.outcome === 'done') {
          if (settle(item) && row) {
            badge(row, 'pending', 'badge pending', null);
            clearRowError(row);
            badge(row, 'counted', 'badge', '✓ ' + result.data.counted);
            updateProgress();
          }
          return next(i + 1);
        }
        if (result.outcome === 'refused') {
          if (settle(item) && row) {
            badge(row, 'pending', 'badge pending', null);
            showRowError(row, result.error.message || 'Not saved. Check the count and save it again.', result.error.field);
          }
          return next(i + 1);
        }
        return result.outcome;
      });
    };
    // Whatever goes wrong in a round, the next one must still run: counted as not sent, the queue is kept.
    next(0).catch(function () { return 'offline'; }).then(function (outcome) {
      sending = false;
      state = outcome === 'done' ? 'sent' : outcome;
      updateStatus();
      if (again && outcome === 'done') flush();
    });
  }

  sheet.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    // Closing now would refuse the counts still on this tablet (the stocktake is closed when they arrive): send them first.
    if (form.getAttribute('data-testid') === 'close-stocktake') {
      var waiting = Object.keys(load()).length;
      var note = form.querySelector('[data-testid=close-waiting]');
      if (!waiting) {
        if (note) note.remove();
        return;
      }
      event.preventDefault();
      if (!note) {
        note = document.createElement('p');
        note.className = 'error';
        note.setAttribute('role', 'alert');
        note.setAttribute('data-testid', 'close-waiting');
        form.prepend(note);
      }
      note.textContent = (waiting === 1 ? '1 count is' : waiting + ' counts are') + ' saved on this tablet but not sent yet: close the stocktake once they are.';
      flush();
      return;
    }
    if (!form.classList.contains('count-row')) return;
    event.preventDefault();
    var productId = form.querySelector('input[name=productId]').value;
    var fields = {};
    ['fullUnits', 'partialTenths', 'partialGrams'].forEach(function (name) {
      var input = form.querySelector('[name=' + name + ']');
      if (input) fields[name] = input.value.trim();
    });
    var sig = JSON.stringify(fields);
    var queue = load();
    var before = queue[productId];
    // The same values again (a double tap, Save pressed while it waits): the same key, so it applies once.
    queue[productId] = { productId: productId, fields: fields, sig: sig, key: before && before.sig === sig ? before.key : newKey(), at: Date.now() };
    store(queue);
    clearRowError(form);
    badge(form, 'pending', 'badge pending', 'Saved on this tablet');
    if (state === 'sent') state = 'idle';
    flush();
  });

  window.addEventListener('online', flush);
  setInterval(function () {
    if (Object.keys(load()).length) flush();
  }, RETRY_MS);

  // Counts kept from before (the page was closed, or reloaded, with counts not sent): shown as waiting, then sent.
  var kept = load();
  Object.keys(kept).forEach(function (productId) {
    var row = rowOf(productId);
    if (!row) return;
    // The row shows what is waiting to be sent, not the figure the page was rendered with.
    Object.keys(kept[productId].fields).forEach(function (name) {
      var input = row.querySelector('[name=' + name + ']');
      if (input) input.value = kept[productId].fields[name];
    });
    badge(row, 'pending', 'badge pending', 'Saved on this tablet');
  });
  flush();
})();

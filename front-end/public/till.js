// The till's own few lines of script: what htmx does not do for it. Served
// from our origin (no inline script, so the CSP stays default-src 'self').
// Without script the till works through plain forms; none of this is needed.
(function () {
  'use strict';
  if (!document.getElementById('till')) return;

  // A tap that got no panel back (the network or the server is down) says so
  // where a refusal would, and takes the focus like one.
  function sayInPanel(text) {
    var panel = document.getElementById('order-panel');
    if (!panel) return;
    var alert = document.getElementById('order-alert');
    if (!alert) {
      alert = document.createElement('p');
      alert.id = 'order-alert';
      alert.className = 'order-alert';
      alert.setAttribute('role', 'alert');
      alert.setAttribute('tabindex', '-1');
      alert.setAttribute('data-testid', 'alert');
      var head = panel.querySelector('.order-head');
      if (head) head.after(alert);
      else panel.prepend(alert);
    }
    alert.textContent = text;
    alert.focus();
  }
  document.body.addEventListener('htmx:sendError', function () {
    sayInPanel('The till could not reach the server, so that tap did nothing. Check the connection and tap again.');
  });
  document.body.addEventListener('htmx:responseError', function () {
    sayInPanel('The till could not do that. Tap again; if it keeps failing, reload the page.');
  });

  // The chosen tab stays in sight in the open-tabs strip, which scrolls on
  // its own (only the strip moves, never the page).
  function showChosenTab() {
    var strip = document.getElementById('open-tabs');
    var chosen = strip && strip.querySelector('[aria-current]');
    if (!chosen) return;
    var s = strip.getBoundingClientRect();
    var c = chosen.getBoundingClientRect();
    if (c.left < s.left) strip.scrollLeft -= s.left - c.left + 8;
    else if (c.right > s.right) strip.scrollLeft += c.right - s.right + 8;
  }
  showChosenTab();
  document.body.addEventListener('htmx:afterSettle', showChosenTab);
})();

// An enrolled till's idle lock and its PIN keypad. Served by the front end
// (front-end/src/routes/pages/auth/lock.ts) with the idle time filled in from
// TILL_IDLE_LOCK_SECONDS; a file, not an inline script, because the pages'
// Content-Security-Policy allows scripts from this origin only.
(function (idleSeconds) {
  'use strict';

  // Idle lock: after idleSeconds with no tap, key or scroll, go to the PIN
  // screen, so the last person's tab does not stay on show. The server locks
  // the session on its own too; this is what clears the screen.
  var onLockScreen = location.pathname === '/lock';
  var timer = 0;
  function lock() {
    // On the PIN screen itself: load it again, clearing a half-typed PIN and
    // picking up new names and a fresh form token.
    location.replace(onLockScreen ? '/lock' : '/lock?idle=1');
  }
  function awake() {
    clearTimeout(timer);
    timer = setTimeout(lock, idleSeconds * 1000);
  }
  ['pointerdown', 'keydown', 'touchstart', 'input', 'wheel'].forEach(function (type) {
    document.addEventListener(type, awake, { capture: true, passive: true });
  });
  // A page brought back by Back from the browser's memory would show the
  // last person's screen: ask the server again (it sends a locked till to the PIN screen).
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) location.reload();
  });
  awake();

  // The keypad: shown only with JavaScript (without it the PIN field takes
  // the digits); each key types into the PIN field.
  var pad = document.querySelector('[data-keypad]');
  var pin = document.getElementById('pin');
  if (!pad || !pin) return;
  pad.hidden = false;
  pad.addEventListener('click', function (event) {
    var key = event.target instanceof Element ? event.target.closest('button[data-key]') : null;
    if (!key) return;
    var value = key.getAttribute('data-key');
    if (value === 'clear') pin.value = '';
    else if (value === 'back') pin.value = pin.value.slice(0, -1);
    else if (pin.value.length < 6) pin.value += value;
  });
})(__TILL_IDLE_LOCK_SECONDS__);

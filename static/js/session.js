// Session time-out warning (quality.md: "Session time-outs warn first").
// The session ends SESSION_COOKIE_AGE seconds after the last request. A few minutes before that,
// a dialog offers to stay logged in (a POST that renews the session); at the end it says the
// session has ended, so nobody types into a form that can no longer be saved.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var seconds = parseInt(box.getAttribute("data-seconds"), 10);
  var warnBefore = parseInt(box.getAttribute("data-warn-before"), 10);
  var form = box.querySelector("form");
  var warning = box.querySelector("[data-session-warning]");
  var ended = box.querySelector("[data-session-ended]");
  var warnTimer, endTimer, previousFocus;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, seconds - warnBefore) * 1000);
    endTimer = setTimeout(end, seconds * 1000);
  }
  function show(part) {
    previousFocus = document.activeElement;
    warning.hidden = part !== warning;
    ended.hidden = part !== ended;
    box.hidden = false;
    var focusable = part.querySelector("button, a");
    if (focusable) { focusable.focus(); }
  }
  function warn() { show(warning); }
  function end() { show(ended); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { end(); return; }
        box.hidden = true;
        if (previousFocus && previousFocus.focus) { previousFocus.focus(); }
        schedule();
      })
      .catch(end);
  });
  schedule();
}());

// The "today" page, made a little livelier: the windows count down, the mailto subjects
// carry the current minute, and each report's status appears once the mail is processed.
// Everything here is optional: without it the page shows the same facts as of loading.
(function () {
  "use strict";
  var root = document.getElementById("today");
  if (!root) { return; }
  var statusURL = root.getAttribute("data-status-url");
  var serverNow = parseInt(root.getAttribute("data-now"), 10);
  var loadedAt = Date.now();
  function nowMinute() { return serverNow + Math.floor((Date.now() - loadedAt) / 60000); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function countdowns() {
    var now = nowMinute();
    document.querySelectorAll(".countdown[data-opens]").forEach(function (el) {
      var opens = parseInt(el.getAttribute("data-opens"), 10), closes = parseInt(el.getAttribute("data-closes"), 10);
      var base = el.textContent.split("。")[0];
      var text;
      if (now < opens) { text = "報告の受付まで あと" + (opens - now) + "分（前後20分）"; }
      else if (now <= closes) { text = "いま報告できます（受付終了まで あと" + (closes - now) + "分）"; }
      else { text = "受付時間（前後20分）を" + (now - closes) + "分過ぎています"; }
      var next = base + "。" + text;
      if (el.textContent !== next) { el.textContent = next; }
    });
    // The subject's time is the minute the button is pressed (DAY-1/DAY-2).
    var minute = now % 1440, hhmm = pad(Math.floor(minute / 60)) + ":" + pad(minute % 60);
    document.querySelectorAll("a[data-mailto=time]").forEach(function (a) {
      a.href = a.href.replace(/%20\d\d%3A\d\d$/, "%20" + hhmm.replace(":", "%3A"));
      var subject = a.parentNode.parentNode.querySelector(".subject");
      if (subject) { subject.textContent = subject.textContent.replace(/ \d\d:\d\d$/, " " + hhmm); }
    });
  }

  function poll() {
    fetch(statusURL, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        serverNow = s.now; loadedAt = Date.now();
        ["startReport", "endReport", "photo"].forEach(function (kind) {
          var el = document.querySelector("[data-item=" + kind + "]");
          if (el && s[kind] && el.textContent !== s[kind].label) {
            el.textContent = s[kind].label;
            el.className = "status " + s[kind].tone;
          }
        });
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  countdowns();
  setInterval(countdowns, 15000);
  setInterval(poll, 10000);
  poll();
})();

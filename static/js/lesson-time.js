/*
 * The lesson player's time reports (learning: POST /api/v1/learning/lessons/{id}/time/).
 *
 * The element with data-lesson-time-url names the endpoint; data-lesson-time-interval the
 * seconds between reports (30 in the player); data-csrf-token the CSRF token. While the page
 * is visible, every interval reports the seconds it was visible since the previous report;
 * when the page is hidden or left, what is left goes with navigator.sendBeacon (a
 * form-encoded body carrying csrfmiddlewaretoken, which Django's CSRF check reads). The
 * server counts at most 60 s a report and never more than its own clock allows, so nothing
 * here needs to be trusted. Failed reports are dropped: time is a hint, not a record to retry.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-lesson-time-url]");
  if (!root || !window.URLSearchParams) {
    return;
  }
  var url = root.getAttribute("data-lesson-time-url");
  var token = root.getAttribute("data-csrf-token") || "";
  var interval = (parseInt(root.getAttribute("data-lesson-time-interval"), 10) || 30) * 1000;
  var visibleSince = document.visibilityState === "visible" ? performance.now() : null;
  var pending = 0; // milliseconds visible and not reported yet

  function collect() {
    if (visibleSince === null) {
      return;
    }
    var now = performance.now();
    pending += now - visibleSince;
    visibleSince = document.visibilityState === "visible" ? now : null;
  }

  // The form body of a report of the whole seconds collected, or null when under a second.
  // What rounding takes or adds is carried to the next report.
  function takeReport() {
    collect();
    var seconds = Math.round(pending / 1000);
    if (seconds < 1) {
      return null;
    }
    pending -= seconds * 1000;
    var body = new URLSearchParams();
    body.set("seconds", String(seconds));
    body.set("csrfmiddlewaretoken", token);
    return body;
  }

  function post(body, keepalive) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    }).catch(function () {});
  }

  function report() {
    var body = takeReport();
    if (body) {
      post(body, false);
    }
  }

  function reportOnLeaving() {
    var body = takeReport();
    if (body && !(navigator.sendBeacon && navigator.sendBeacon(url, body))) {
      post(body, true);
    }
  }

  window.setInterval(function () {
    if (document.visibilityState === "visible") {
      report();
    }
  }, interval);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      visibleSince = performance.now();
    } else {
      reportOnLeaving();
    }
  });
  window.addEventListener("pagehide", reportOnLeaving);
  window.addEventListener("pageshow", function (event) {
    // Back from the back/forward cache: count from now, not from when the page was left.
    if (event.persisted && document.visibilityState === "visible") {
      visibleSince = performance.now();
    }
  });
})();

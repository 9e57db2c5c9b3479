// A conversation opens at its newest message and stays there: after sending, and when the
// 10-second refresh brings news while the reader is at the bottom. Someone reading older
// messages higher up is left where they were. The thread (#conversation-thread) scrolls in
// its own box; htmx replaces it whole (outerHTML), so the position is carried across.
(function () {
  "use strict";

  var NEAR_BOTTOM_PX = 48;
  var pending = null;

  function thread() {
    return document.getElementById("conversation-thread");
  }

  function atBottom(element) {
    return element.scrollHeight - element.scrollTop - element.clientHeight <= NEAR_BOTTOM_PX;
  }

  function toBottom() {
    var element = thread();
    if (element) {
      element.scrollTop = element.scrollHeight;
    }
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var element = thread();
    if (!element || event.detail.target !== element) {
      return;
    }
    var sent = event.detail.requestConfig && event.detail.requestConfig.verb === "post";
    pending = { stick: sent || atBottom(element), scrollTop: element.scrollTop };
  });

  document.addEventListener("htmx:afterSettle", function () {
    var element = thread();
    if (!pending || !element) {
      return;
    }
    if (pending.stick) {
      toBottom();
    } else {
      element.scrollTop = pending.scrollTop;
    }
    pending = null;
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", toBottom);
  } else {
    toBottom();
  }
})();

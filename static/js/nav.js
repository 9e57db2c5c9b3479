// The site's menus are <details> disclosures: they open and close with a tap, Enter or
// Space without this script. It adds what a menu is expected to do besides: Escape closes
// the open menu (focus goes back to its button), and a tap or click outside closes it.
(function () {
  "use strict";
  var menus = function () {
    return Array.prototype.slice.call(document.querySelectorAll("details[data-nav-menu][open]"));
  };
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = menus();
    if (!open.length) return;
    // The innermost open menu closes first (the person's menu inside the phone's menu).
    var menu = open[open.length - 1];
    menu.open = false;
    var summary = menu.querySelector("summary");
    if (summary) summary.focus();
  });
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
})();

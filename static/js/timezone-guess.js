// Fills this device's time zone into the inputs marked data-timezone-guess (the person has
// not chosen a zone yet) and shows the note that asks them to confirm it. The zone goes in
// as the browser names it, even when the input's list does not offer that name: browsers
// report legacy aliases ("Asia/Calcutta", "Europe/Kiev"), which the server saves as their
// current name (core/timezones.py) and rejects with a message if it does not know them.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("input[data-timezone-guess]").forEach(function (input) {
    if (input.value === zone) {
      return;
    }
    input.value = zone;
    var note = document.getElementById(input.id + "-guess-note");
    if (note) {
      note.hidden = false;
    }
  });
})();

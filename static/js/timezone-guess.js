// Fills this device's time zone into the inputs marked data-timezone-guess (the person has
// not chosen a zone yet) and shows the note that asks them to confirm it. Only a zone the
// input's list offers is filled in; the server checks whatever is sent.
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
    var options = input.list ? Array.prototype.slice.call(input.list.options) : [];
    var listed = options.some(function (option) {
      return option.value === zone;
    });
    if (!listed || input.value === zone) {
      return;
    }
    input.value = zone;
    var note = document.getElementById(input.id + "-guess-note");
    if (note) {
      note.hidden = false;
    }
  });
})();

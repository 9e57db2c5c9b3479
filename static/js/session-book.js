// The booking and reschedule pages (templates/mentorship/sessions/book.html, reschedule.html,
// both with the free slots of _slots.html): choosing a free slot fills the start and the
// length without leaving the page (without scripts the slot's link reloads the page with
// them filled), and on booking the venue is shown only for an in-person session (without
// scripts both show, the venue's help text saying it is for in person only).
(function () {
  "use strict";
  function init() {
    var form = document.getElementById("book-form") || document.getElementById("reschedule-form");
    if (!form) {
      return;
    }
    var start = form.querySelector("#id_start_at");
    var duration = form.querySelector("#id_duration_minutes");
    document.querySelectorAll("a.slot").forEach(function (slot) {
      slot.addEventListener("click", function (event) {
        if (!start) {
          return;
        }
        event.preventDefault();
        start.value = slot.dataset.start;
        if (duration) {
          duration.value = slot.dataset.duration;
        }
        document.querySelectorAll("a.slot[aria-current]").forEach(function (other) {
          other.removeAttribute("aria-current");
        });
        slot.setAttribute("aria-current", "true");
        start.focus();
      });
    });
    var venue = form.querySelector("#id_venue");
    var venueRow = venue ? venue.closest("div") : null;
    var kinds = form.querySelectorAll("input[name='type']");
    function showVenue() {
      var chosen = form.querySelector("input[name='type']:checked");
      if (venueRow) {
        venueRow.hidden = !chosen || chosen.value !== "in_person";
      }
    }
    kinds.forEach(function (kind) {
      kind.addEventListener("change", showVenue);
    });
    showVenue();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

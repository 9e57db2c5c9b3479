/* The offline page (templates/core/offline.html): shows the "today's habits" the dashboard
   last saved on this device (static/js/sw-register.js), if any. Habit titles are the
   person's own text: they are set as text, never as HTML. */
(function () {
  "use strict";
  const section = document.getElementById("offline-habits");
  if (!section || !window.caches) {
    return;
  }
  const settings = section.dataset;

  function render(snapshot) {
    if (!snapshot || !Array.isArray(snapshot.habits)) {
      return;
    }
    const when = new Date(snapshot.saved_at);
    const formatted = isNaN(when.getTime())
      ? ""
      : new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
          dateStyle: "long",
          timeStyle: "short",
        }).format(when);
    section.querySelector(".offline-saved").textContent = settings.savedLabel.replace("{when}", formatted);
    const list = section.querySelector(".offline-habit-list");
    snapshot.habits.forEach(function (habit) {
      const item = document.createElement("li");
      const title = document.createElement("strong");
      title.textContent = String(habit.title || "");
      item.appendChild(title);
      if (habit.cue) {
        item.appendChild(document.createTextNode(" (" + String(habit.cue) + ")"));
      }
      const state = document.createElement("span");
      state.className = habit.done ? "offline-habit-done" : "offline-habit-open";
      state.textContent = " — " + (habit.done ? settings.doneLabel : settings.openLabel);
      item.appendChild(state);
      if (habit.streak) {
        item.appendChild(document.createElement("br"));
        const streak = document.createElement("small");
        streak.textContent = String(habit.streak);
        item.appendChild(streak);
      }
      list.appendChild(item);
    });
    section.querySelector(".offline-habits-empty").hidden = snapshot.habits.length > 0;
    section.hidden = false;
  }

  caches
    .match(settings.habitsKey, { cacheName: settings.personalCache })
    .then(function (response) {
      return response ? response.json() : null;
    })
    .then(render)
    .catch(function () {
      /* Nothing saved, or unreadable: the page says it is offline, nothing more. */
    });
})();

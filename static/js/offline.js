/* The offline page (templates/core/offline.html): shows the "today's habits" the dashboard
   last saved on this device (static/js/sw-register.js), if any. Habit titles are the
   person's own text: they are set as text, never as HTML.

   Saved habits older than data-max-age seconds (core.pwa.HABITS_SNAPSHOT_MAX_AGE, a day),
   saved "in the future" or without their owner's key are not shown but deleted: the session
   they came from may have ended without this browser hearing of it.

   The time they were saved is written in the site's DATETIME_FORMAT (data-datetime-format,
   Django's format characters, "j M Y, H:i": 6 Dec 2026, 14:30) with the page's language's
   month and day names. */
(function () {
  "use strict";
  const section = document.getElementById("offline-habits");
  if (!section || !window.caches) {
    return;
  }
  const settings = section.dataset;
  const language = document.documentElement.lang || undefined;
  const maxAge = Number(settings.maxAge) * 1000;
  const clockSkew = 60 * 1000;

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function name(when, options) {
    return new Intl.DateTimeFormat(language, options).format(when);
  }

  /* Django's date format characters that the site's formats use; a backslash escapes the
     next character and any other character is written as it is. */
  const FORMAT = {
    j: (when) => String(when.getDate()),
    d: (when) => pad(when.getDate()),
    n: (when) => String(when.getMonth() + 1),
    m: (when) => pad(when.getMonth() + 1),
    M: (when) => name(when, { month: "short" }).replace(/\.$/, ""),
    b: (when) => name(when, { month: "short" }).replace(/\.$/, "").toLowerCase(),
    F: (when) => name(when, { month: "long" }),
    Y: (when) => String(when.getFullYear()),
    y: (when) => pad(when.getFullYear() % 100),
    D: (when) => name(when, { weekday: "short" }),
    l: (when) => name(when, { weekday: "long" }),
    G: (when) => String(when.getHours()),
    H: (when) => pad(when.getHours()),
    i: (when) => pad(when.getMinutes()),
    s: (when) => pad(when.getSeconds()),
  };

  function formatted(when, format) {
    let text = "";
    for (let index = 0; index < format.length; index += 1) {
      const character = format[index];
      if (character === "\\" && index + 1 < format.length) {
        index += 1;
        text += format[index];
      } else {
        text += FORMAT[character] ? FORMAT[character](when) : character;
      }
    }
    return text;
  }

  function current(snapshot) {
    if (!snapshot || !Array.isArray(snapshot.habits) || typeof snapshot.owner !== "string" || !snapshot.owner) {
      return false;
    }
    const age = Date.now() - new Date(snapshot.saved_at).getTime();
    return age >= -clockSkew && age <= maxAge;
  }

  function forget() {
    return caches.open(settings.personalCache).then(function (cache) {
      return cache.delete(settings.habitsKey);
    });
  }

  function render(snapshot) {
    if (snapshot === null) {
      return null;
    }
    if (!current(snapshot)) {
      return forget();
    }
    const when = new Date(snapshot.saved_at);
    section.querySelector(".offline-saved").textContent = settings.savedLabel.replace(
      "{when}",
      formatted(when, settings.datetimeFormat),
    );
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
    return null;
  }

  caches
    .match(settings.habitsKey, { cacheName: settings.personalCache })
    .then(function (response) {
      return response
        ? response.json().catch(function () {
            return undefined; /* unreadable: deleted as not current */
          })
        : null;
    })
    .then(render)
    .catch(function () {
      /* Nothing saved, or unreadable: the page says it is offline, nothing more. */
    });
})();

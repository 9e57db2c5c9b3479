/* Registers the service worker (/sw.js, core/pwa.py) and looks after the one personal
   thing the site keeps in the browser: the last loaded "today's habits", which the offline
   page shows (static/js/offline.js).

   - Signed in, on a page with the dashboard's "Today's habits" panel: the habits as shown
     (title, time, done or not, streak) are saved to the personal cache with the person's
     snapshot key (data-snapshot-owner, core.pwa.snapshot_owner: opaque, made by the
     server) and the time, and saved again after every tick (HTMX swaps the habit's fragment).
   - Signed in as somebody else (any page whose key is not the saved habits' key): the saved
     habits are deleted first.
   - Signed out (any page rendered for a visitor, the sign-in page too): the personal cache
     is deleted, so nobody finds the previous person's habits. Sign-out responses also
     send Clear-Site-Data (core.middleware.ClearSiteDataMiddleware); the offline page
     ignores and deletes habits older than a day (static/js/offline.js). */
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.caches) {
    return;
  }
  const settings = script.dataset;
  const signedIn = settings.signedIn === "true";
  /* Settles once somebody else's saved habits are gone: every save waits for it. */
  let checked = Promise.resolve();

  /* All of it after the page has loaded: nothing here may slow the page down. */
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(settings.worker, { scope: "/" }).catch(function () {
      /* Not installable here (an insecure origin, a private window): the site works as before. */
    });
    if (signedIn) {
      checked = forgetSomebodyElses();
      checked.then(saveHabits);
    } else {
      caches.delete(settings.personalCache);
    }
  });

  function visibleText(element) {
    if (!element) {
      return "";
    }
    const copy = element.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true'], svg").forEach(function (hidden) {
      hidden.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function habitsShown(marker) {
    return Array.from(marker.querySelectorAll(":scope > li")).map(function (item) {
      const today = item.querySelector(".habit-today");
      return {
        title: visibleText(item.querySelector(":scope > a")),
        cue: visibleText(item.querySelector(":scope > small")).replace(/^\((.*)\)$/, "$1"),
        done: Boolean(today && today.classList.contains("habit-done")),
        streak: visibleText(item.querySelector(".streak")),
      };
    });
  }

  /* Deletes the saved habits unless they are this person's (an unreadable or older
     snapshot without a key counts as somebody else's). */
  function forgetSomebodyElses() {
    return caches
      .open(settings.personalCache)
      .then(function (cache) {
        return cache.match(settings.habitsKey).then(function (response) {
          if (!response) {
            return null;
          }
          return response
            .json()
            .catch(function () {
              return null;
            })
            .then(function (snapshot) {
              if (!snapshot || !settings.snapshotOwner || snapshot.owner !== settings.snapshotOwner) {
                return cache.delete(settings.habitsKey);
              }
              return null;
            });
        });
      })
      .catch(function () {
        /* Cache Storage refused: nothing can have been saved either. */
      });
  }

  function saveHabits() {
    const marker = document.querySelector("[data-offline-snapshot='habits-today']");
    if (!marker || !settings.snapshotOwner) {
      return;
    }
    const body = JSON.stringify({
      owner: settings.snapshotOwner,
      saved_at: new Date().toISOString(),
      habits: habitsShown(marker),
    });
    caches
      .open(settings.personalCache)
      .then(function (cache) {
        return cache.put(
          settings.habitsKey,
          new Response(body, { headers: { "Content-Type": "application/json" } }),
        );
      })
      .catch(function () {
        /* Storage full or refused: the offline page simply shows no habits. */
      });
  }

  if (signedIn) {
    document.addEventListener("htmx:afterSettle", function () {
      checked.then(saveHabits);
    });
  }
})();

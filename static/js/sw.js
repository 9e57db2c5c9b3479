/* Ascend's service worker. core.pwa.service_worker serves it at /sw.js (scope: the whole
   site) with this deploy's configuration in front of it, as self.ASCEND_SW:
   version (changes with every deploy that changes a static file), shell (the URLs to
   precache), offline (the offline page), staticPrefix and personalCache.

   - The shell is fetched without cookies: it is the same for everybody, and nothing of a
     signed-in person can end up in it.
   - Static files: from the cache, else from the network (and then cached). Their names
     carry a content hash in production, so a cached file is never stale; the cache of an
     older version is deleted when this one takes over.
   - Page loads: always from the network; when there is none, the offline page. Pages are
     never cached: they are personal (therapy, notes, messages).
   - Everything else (HTMX fragments, the API, private files, other sites): not touched,
     never cached. */
"use strict";

const config = self.ASCEND_SW;
const SHELL_PREFIX = "ascend-shell-";
const SHELL_CACHE = SHELL_PREFIX + config.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) =>
        cache.addAll(config.shell.map((url) => new Request(url, { cache: "reload", credentials: "omit" }))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function offlinePage() {
  return caches
    .match(config.offline, { cacheName: SHELL_CACHE, ignoreVary: true })
    .then((response) => response || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } }));
}

function cachedOrFetched(request) {
  return caches.open(SHELL_CACHE).then((cache) =>
    cache.match(request, { ignoreVary: true }).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && response.type === "basic") {
            cache.put(request, response.clone());
          }
          return response;
        }),
    ),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.startsWith(config.staticPrefix) || (config.shell.includes(url.pathname) && !url.search)) {
    event.respondWith(cachedOrFetched(request));
  }
});

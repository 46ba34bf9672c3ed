// Keeps the estimator working offline. The first visit stores the page, its modules, its styles
// and the engine (`lephi/lite`); later visits still load from the network first, so a new
// release reaches people who are online, and fall back to the stored copy when the network
// fails. A portal's own compiled rules (`?rules=URL`) are stored the same way once fetched.
const CACHE = "lephi-estimator";
const FILES = ["./", "app.js", "vi-order.js", "style.css", "../pkg/lite/lephi.js", "../pkg/lite/lephi_bg.wasm"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then(
      (response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      },
      async (offline) => (await caches.match(request, { ignoreSearch: true })) ?? Promise.reject(offline),
    ),
  );
});

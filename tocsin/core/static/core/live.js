// Live regions (crisis dashboard, alert roll-call): reload the #live region from the server every
// few seconds. Plain fetch of a server-rendered fragment: no inline script (CSP), nothing to keep
// in sync. A refresh waits while the keyboard focus is inside the region, so it is never lost.
(function () {
  "use strict";
  const region = document.getElementById("live");
  if (!region) return;
  const url = region.dataset.liveUrl;
  const every = Math.max(5, parseInt(region.dataset.liveEvery || "20", 10)) * 1000;

  function showLost() {
    const status = region.querySelector("[data-live-status]");
    if (status) status.textContent = "Connexion perdue — nouvel essai dans quelques secondes…";
  }

  function inUse() {
    const active = document.activeElement;
    return active && active !== document.body && region.contains(active);
  }

  async function refresh() {
    if (document.hidden || inUse()) return;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } });
      if (!response.ok) { showLost(); return; }
      const html = await response.text();
      if (inUse()) return;
      const next = new DOMParser().parseFromString(html, "text/html");
      region.replaceChildren(...next.body.childNodes);
    } catch (error) {
      showLost();
    }
  }

  setInterval(refresh, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
})();

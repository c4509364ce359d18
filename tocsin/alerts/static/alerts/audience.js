// Alert draft: refresh « Qui sera alerté » when the audience changes, by posting the form to the
// preview URL and putting the server-rendered fragment in place. Without JavaScript, the
// « Mettre à jour l'aperçu » button does the same through a full page.
(function () {
  "use strict";
  const form = document.querySelector("form[data-preview-url]");
  const region = document.getElementById("audience-preview");
  if (!form || !region) return;
  const status = document.getElementById("preview-status");
  const button = form.querySelector("[data-preview-button]");
  let timer = null;
  let controller = null;

  function announce(text) {
    if (status) status.textContent = text;
  }

  async function refresh() {
    if (controller) controller.abort();
    controller = new AbortController();
    region.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      const html = await response.text();
      const next = new DOMParser().parseFromString(html, "text/html");
      region.replaceChildren(...next.body.childNodes);
      const summary = region.querySelector("[data-preview-summary]");
      if (summary) announce(summary.textContent.trim());
    } catch (error) {
      if (error.name === "AbortError") return;
      announce("Aperçu indisponible : utilisez « Mettre à jour l'aperçu ».");
      if (button) button.hidden = false;
    } finally {
      region.removeAttribute("aria-busy");
    }
  }

  function affectsAudience(field) {
    if (!field || field.name === "recherche") return false;
    return field.name === "has_health_data" || Boolean(field.closest("[data-audience]"));
  }

  form.addEventListener("change", function (event) {
    if (!affectsAudience(event.target)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  // The preview follows the form by itself: the manual button is only needed without script.
  if (button) button.hidden = true;
  // The count also sits next to the buttons, where a phone user ends up.
  const summary = region.querySelector("[data-preview-summary]");
  if (status && summary) status.textContent = summary.textContent.trim();
})();

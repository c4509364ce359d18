/* The ecosystem map: GeoJSON layers of the CPTS on Leaflet, filtered in the browser.
   Works without any tile server: commune boundaries are drawn from our own data. */
(function () {
  "use strict";

  const COLOURS = {
    communes: "#4d5661",
    risks: "#b42318",
    organisations: "#0b4f9c",
    premises: "#1f6f3a",
    equipment: "#8a5a00",
    stock: "#8a1c1c",
    capacity: "#5b2a86",
    human: "#00617a",
    patients: "#b54708",
  };

  // Fewest to most major risks among the exposed communes, set once the layer is loaded.
  const riskRange = { min: 0, max: 0 };

  function text(tag, value, className) {
    const element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  }

  function popup(properties) {
    // Built with the DOM, never innerHTML: names come from imported files.
    const box = document.createElement("div");
    const title = properties.url ? document.createElement("a") : text("strong", properties.name);
    if (properties.url) {
      title.href = properties.url;
      title.textContent = properties.name;
    }
    box.appendChild(title);
    for (const line of [properties.kind_label, properties.status_label, properties.commune,
                        properties.phone, properties.mairie_phone]) {
      if (line) box.appendChild(text("div", line));
    }
    for (const contact of properties.contacts || (properties.contact ? [properties.contact] : [])) {
      box.appendChild(text("div", contact, "popup-contact"));
    }
    if (properties.population) {
      box.appendChild(text("div", properties.population.toLocaleString("fr-FR") + " habitants"));
    }
    for (const need of properties.needs || []) box.appendChild(text("div", need));
    if (properties.risks) {
      const count = properties.risks.length;
      box.appendChild(text("div", count + (count > 1 ? " risques majeurs" : " risque majeur")));
      const list = document.createElement("ul");
      for (const risk of properties.risks) list.appendChild(text("li", risk));
      box.appendChild(list);
    }
    return box;
  }

  function matches(properties, filters) {
    if (properties.layer === "risks") {
      if (filters.risk && !properties.risk_codes.includes(filters.risk)) return false;
      return !filters.commune || properties.name === filters.commune;
    }
    if (properties.layer === "communes") {
      return !filters.commune || properties.name === filters.commune;
    }
    if (filters.kind && properties.kind !== filters.kind) return false;
    if (filters.status && properties.status && properties.status !== filters.status) return false;
    return !filters.commune || properties.commune === filters.commune;
  }

  function riskOpacity(count) {
    // Relative to the territory: health risks expose every commune, the differences matter.
    const span = riskRange.max - riskRange.min;
    return 0.15 + (span ? 0.5 * (count - riskRange.min) / span : 0.25);
  }

  function style(feature) {
    if (feature.properties.layer === "risks") {
      const opacity = riskOpacity(feature.properties.risk_count);
      return { color: COLOURS.risks, weight: 1, fillColor: COLOURS.risks, fillOpacity: opacity };
    }
    const colour = COLOURS[feature.properties.kind] || COLOURS[feature.properties.layer];
    return { color: colour, weight: 1.5, fillOpacity: 0.08 };
  }

  function marker(feature, latlng) {
    const colour = COLOURS[feature.properties.kind] || COLOURS[feature.properties.layer];
    return L.circleMarker(latlng, {
      radius: 7, color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.95,
    });
  }

  async function start() {
    const element = document.getElementById("map");
    const status = document.querySelector("[data-map-status]");
    const form = document.querySelector("[data-map-filters]");
    const layers = JSON.parse(document.getElementById("map-layers").textContent);
    const map = L.map(element, { zoomSnap: 0.25 });
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, {
        attribution: element.dataset.tilesAttribution, maxZoom: 18,
      }).addTo(map);
    }
    map.setView([47.0, -2.0], 9);

    const data = {};
    const shown = {};
    try {
      await Promise.all(layers.map(async (layer) => {
        const response = await fetch(layer.url, { credentials: "same-origin" });
        if (!response.ok) throw new Error(layer.label);
        data[layer.name] = await response.json();
      }));
    } catch (error) {
      status.textContent = "Une couche n'a pas pu être chargée : " + error.message + ".";
      return;
    }

    // The register's restricted map has only the layer boxes: the selects are optional.
    const communeSelect = form.querySelector("[name=commune]");
    const communes = communeSelect && data.communes ? data.communes.features : [];
    for (const name of communes.map((f) => f.properties.name).sort((a, b) => a.localeCompare(b, "fr"))) {
      const option = text("option", name);
      option.value = name;
      communeSelect.appendChild(option);
    }

    const riskSelect = form.querySelector("[name=risk]");
    const riskFeatures = riskSelect && data.risks ? data.risks.features : [];
    const riskNames = new Map();
    for (const feature of riskFeatures) {
      const { risks, risk_codes: codes } = feature.properties;
      codes.forEach((code, index) => riskNames.set(code, risks[index]));
    }
    for (const [code, name] of [...riskNames].sort((a, b) => a[1].localeCompare(b[1], "fr"))) {
      const option = text("option", name);
      option.value = code;
      riskSelect.appendChild(option);
    }
    if (riskFeatures.length) {
      const counts = riskFeatures.map((f) => f.properties.risk_count);
      riskRange.min = Math.min(...counts);
      riskRange.max = Math.max(...counts);
    }

    function draw() {
      map.closePopup();
      const filters = Object.fromEntries(new FormData(form));
      const wanted = new FormData(form).getAll("layer");
      let count = 0;
      for (const layer of layers) {
        if (shown[layer.name]) shown[layer.name].remove();
        if (!wanted.includes(layer.name)) continue;
        shown[layer.name] = L.geoJSON(data[layer.name], {
          filter: (feature) => matches(feature.properties, filters),
          style: style,
          pointToLayer: marker,
          onEachFeature: (feature, item) => {
            count += feature.geometry.type === "Point" ? 1 : 0;
            item.bindPopup(() => popup(feature.properties));
          },
        }).addTo(map);
      }
      status.textContent = count + " point" + (count > 1 ? "s" : "") + " affiché" +
        (count > 1 ? "s" : "") + " sur la carte.";
      element.dataset.points = String(count);
    }

    form.addEventListener("change", draw);
    draw();
    if (shown.communes && shown.communes.getLayers().length) {
      map.fitBounds(shown.communes.getBounds(), { padding: [10, 10] });
    }
    element.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();

// The children of the region as named circle markers. No tiles from outside servers unless
// the deployment names its own tile server (POLMAS_MAP_TILES_URL, given as data-tiles).
// A tap opens the place's name and figure, with a link to its dashboard. Numbers are
// formatted in the page's language (Intl.NumberFormat): "88,9" in Indonesian.
// Without JavaScript the server-drawn SVG dot map, with its names, stays in place.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!box || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  // The early warning's standing alarms per place, when the viewer may see them (the card
  // above the map, drawn per viewer, carries them): a red ring and a line in the popup.
  var alarmData = document.getElementById("map-alarms");
  var alarms = alarmData ? JSON.parse(alarmData.textContent) : { counts: {} };
  if (!points.length) { return; }
  var lang = document.documentElement.lang || "id";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  var tiles = box.getAttribute("data-tiles");
  box.innerHTML = "";
  var map = L.map(box, { attributionControl: !!tiles, zoomSnap: 0.25 });
  if (tiles) {
    L.tileLayer(tiles, { attribution: box.getAttribute("data-attribution") || "", maxZoom: 18 }).addTo(map);
  }
  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = content;
    return el;
  }
  var bounds = [];
  var labels = [];
  // Names that would cover one another are hidden (the biggest first kept, in data order);
  // zooming in brings them back, and a tap always names the place.
  function declutter() {
    var shown = [];
    var edge = box.getBoundingClientRect();
    labels.forEach(function (tooltip) {
      var el = tooltip.getElement();
      if (!el) { return; }
      el.style.visibility = "visible";
      var r = el.getBoundingClientRect();
      var clash = shown.some(function (o) {
        return r.left < o.right && r.right > o.left && r.top < o.bottom && r.bottom > o.top;
      });
      var cut = r.right > edge.right || r.left < edge.left;  // a name cut off at the edge
      if (clash || cut) { el.style.visibility = "hidden"; } else { shown.push(r); }
    });
  }
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 9, color: "#1b1f24", weight: 1, fillColor: p.colour, fillOpacity: 0.9
    }).addTo(map);
    // The place's name beside its dot, always shown.
    marker.bindTooltip(p.name, { permanent: true, direction: "right", offset: [8, 0],
                                 className: "map-label" });
    labels.push(marker.getTooltip());
    var popup = document.createElement("div");
    popup.className = "map-popup";
    popup.setAttribute("data-code", p.code);
    popup.appendChild(text("strong", "", p.name));
    var value = p.value === null ? box.getAttribute("data-no-value") : number.format(p.value);
    popup.appendChild(text("div", "value", box.getAttribute("data-indicator-label") + ": " + value));
    var link = text("a", "", box.getAttribute("data-open-label"));
    link.href = p.url;
    popup.appendChild(link);
    var raised = alarms.counts[p.code];
    if (raised) {
      L.circleMarker([p.lat, p.lon], {
        radius: 14, color: "#b3261e", weight: 3, fill: false, interactive: false, className: "map-alarm"
      }).addTo(map);
      var warn = text("a", "alarm", alarms.label + ": " + number.format(raised));
      warn.href = alarms.url;
      popup.appendChild(document.createElement("br"));
      popup.appendChild(warn);
    }
    marker.bindPopup(popup);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
  map.on("zoomend moveend", declutter);
  declutter();
})();

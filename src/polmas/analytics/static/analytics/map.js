// The children of the region as circle markers on a plain background (no tiles from outside
// servers). Without JavaScript the server-drawn SVG dot map stays in place.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!box || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  if (!points.length) { return; }
  box.innerHTML = "";
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 8, color: "#1b1f24", weight: 1, fillColor: p.colour, fillOpacity: 0.9
    }).addTo(map);
    marker.bindTooltip(p.label);
    marker.on("click", function () { window.location.href = p.url; });
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
})();

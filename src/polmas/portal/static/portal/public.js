// The public map: one circle a village (never a house), sized by how many reports match,
// on a plain background (no tiles from outside servers). The list below holds the same.
(function () {
  "use strict";
  var box = document.getElementById("public-map");
  var data = document.getElementById("public-places");
  if (!box || !data || typeof L === "undefined") { return; }
  var places = JSON.parse(data.textContent);
  if (!places.length) { return; }
  box.innerHTML = "";
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  var bounds = [];
  places.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: Math.min(4 + Math.sqrt(p.n) * 1.5, 12), color: "#123a6b", weight: 1,
      fillColor: "#3b6ea8", fillOpacity: 0.75
    }).addTo(map);
    marker.bindTooltip(p.name + ": " + p.n, { permanent: places.length <= 12, direction: "top" });
    marker.bindPopup(p.name + ": " + p.n);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
}());

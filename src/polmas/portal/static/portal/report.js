// The report form's small enhancements. Without JavaScript the form works the same; the
// location button stays hidden and the help for sensitive matters shows after sending.
(function () {
  "use strict";
  // Where to get help, as soon as a sensitive category is picked (without JS: after sending).
  var help = document.getElementById("sensitive-help");
  var category = document.getElementById("id_category");
  if (help && category) {
    var sensitive = help.dataset.codes.split(" ");
    category.addEventListener("change", function () {
      help.hidden = sensitive.indexOf(category.value) < 0;
    });
  }
}());

// "Use my location": fills the hidden latitude/longitude fields of the report form.
(function () {
  "use strict";
  var box = document.getElementById("geo");
  if (!box || !navigator.geolocation) { return; }
  var button = document.getElementById("geo-button");
  var status = document.getElementById("geo-status");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var place = document.getElementById("id_place");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = box.dataset.finding;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(5);
      lon.value = pos.coords.longitude.toFixed(5);
      place.value = "";
      status.textContent = box.dataset.found;
      button.disabled = false;
      // Say which village that is (a GET that only reads); the report is filed under the same.
      var url = box.dataset.locate + "?lat=" + lat.value + "&lon=" + lon.value;
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (lat.value === "") { return; }
          if (answer.ok) {
            status.textContent = box.dataset.picked.replace("%(village)s", answer.body.label);
          } else {
            lat.value = "";
            lon.value = "";
            status.textContent = box.dataset.nowhere;
          }
        })
        .catch(function () { /* the form still sends the coordinates; intake decides */ });
    }, function () {
      lat.value = "";
      lon.value = "";
      status.textContent = box.dataset.failed;
      button.disabled = false;
    }, { enableHighAccuracy: false, timeout: 20000, maximumAge: 120000 });
  });
}());

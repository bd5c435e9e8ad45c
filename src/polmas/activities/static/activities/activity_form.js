// The activity form: show only the fields of the kind of activity chosen (every field shows
// without JavaScript), and fill latitude and longitude from the phone's location on request.
(function () {
  const kind = document.getElementById("id_kind");
  if (kind) {
    const parts = Array.from(document.querySelectorAll("[data-kinds]"));
    const show = () => {
      for (const input of parts) {
        const row = input.closest("p") || input;
        const wanted = input.dataset.kinds.split(" ").includes(kind.value);
        row.hidden = !wanted && !row.querySelector(".errorlist");
      }
    };
    kind.addEventListener("change", show);
    show();
  }
  const tools = document.getElementById("location-tools");
  const button = document.getElementById("use-location");
  const status = document.getElementById("location-status");
  const lat = document.getElementById("id_latitude");
  const lon = document.getElementById("id_longitude");
  if (!tools || !button || !lat || !lon || !("geolocation" in navigator)) return;
  tools.hidden = false;
  // The button sits beside the fields it fills.
  (lat.closest("p") || lat).before(tools);
  button.addEventListener("click", () => {
    status.textContent = button.dataset.busy;
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(5);
      lon.value = pos.coords.longitude.toFixed(5);
      status.textContent = button.dataset.done;
    }, () => { status.textContent = button.dataset.failed; },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();

// Review page: pointing at a highlighted evidence word marks every word of the same event,
// and rejecting or merging asks once more. Progressive: the page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var marks = document.querySelectorAll("mark[data-field]");
  marks.forEach(function (m) {
    var id = (m.dataset.field.match(/#(\d+)/) || [])[1];
    m.addEventListener("mouseenter", function () {
      marks.forEach(function (o) { if (o.dataset.field.indexOf("#" + id + ")") >= 0) o.classList.add("active"); });
      var card = document.getElementById("event-" + id);
      if (card) card.classList.add("active");
    });
    m.addEventListener("mouseleave", function () {
      marks.forEach(function (o) { o.classList.remove("active"); });
    });
  });
  document.querySelectorAll("button.status-rejected").forEach(function (b) {
    b.addEventListener("click", function (e) { if (!window.confirm(b.textContent + "?")) e.preventDefault(); });
  });
});

// "Pick the point on the map": a small map (our province outlines, no tiles unless the page
// says so) under an event's form; a click writes the point into latitude and longitude.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.L) return;
  var outlines = null;
  function provinces() {
    if (!outlines) outlines = fetch("/assets/provinces.geojson").then(function (r) { return r.json(); });
    return outlines;
  }
  document.querySelectorAll("div.pick").forEach(function (pick) {
    pick.hidden = false;
    var form = pick.closest("form");
    var button = pick.querySelector("button");
    var box = pick.querySelector(".pickmap");
    button.addEventListener("click", function () {
      button.disabled = true;
      box.classList.add("open");
      var here = [parseFloat(pick.dataset.lat), parseFloat(pick.dataset.lon)];
      var map = L.map(box).setView(here, 7);
      provinces().then(function (geo) {
        L.geoJSON(geo, { style: function () { return { color: "#8a8f94", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 }; } }).addTo(map);
        marker.bringToFront();
      });
      var marker = L.circleMarker(here, { radius: 7, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
      map.on("click", function (e) {
        marker.setLatLng(e.latlng);
        form.querySelector("input[name=latitude]").value = e.latlng.lat.toFixed(4);
        form.querySelector("input[name=longitude]").value = e.latlng.lng.toFixed(4);
      });
    });
  });
});

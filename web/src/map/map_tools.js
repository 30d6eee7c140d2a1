// The map's tools for the operator: the position under the cursor, layer toggles, the day /
// night palette, and a range-and-bearing tool (click a start, move, click an end; Esc or the
// button again ends it). Distances and bearings are WGS84 geodesics (geodesy.js).
import { formatPosition, formatRangeBearing, rangeBearing } from './geodesy.js';

const TOGGLES = [
  ['basemap', 'Land'],
  ['territorial', 'Territorial sea'],
  ['eez', 'EEZ limit'],
  ['borders', 'Borders'],
  ['zones', 'Rule zones'],
  ['rule_lines', 'Rule lines'],
  ['graticule', 'Graticule'],
  ['tracks', 'Tracks'],
  ['labels', 'Labels'],
  ['vectors', 'Heading vectors'],
  ['trails', 'Trails'],
  ['alerts', 'Alerts'],
  ['assets', 'Patrol assets'],
];

export class MapTools {
  constructor(view, { panel, readout }) {
    this.view = view;
    this.panel = panel;
    this.readout = readout;
    this.measure = null; // {from, to, fixed}
    this.build();
    const map = view.map;
    map.on('mousemove', (e) => {
      this.cursor = e.lngLat;
      readout.textContent = formatPosition(e.lngLat.lat, e.lngLat.lng);
      if (this.measure && !this.measure.fixed) {
        this.measure.to = e.lngLat;
        this.drawMeasure();
      }
    });
    map.getCanvas().addEventListener('mouseleave', () => { readout.textContent = ''; });
    window.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.measuring) this.setMeasuring(false);
    });
  }

  build() {
    const p = this.panel;
    p.innerHTML = `
      <div class="tool-row">
        <button type="button" data-tool="measure" title="Range and bearing: click a start, then an end">Range/bearing</button>
        <button type="button" data-tool="palette" title="Day or night colours">Day</button>
      </div>
      <div class="measure-result" hidden></div>
      <details><summary>Layers</summary>${TOGGLES.map(([k, label]) =>
        `<label><input type="checkbox" data-layer="${k}" checked> ${label}</label>`).join('')}</details>`;
    p.addEventListener('change', (e) => {
      const k = e.target.dataset.layer;
      if (k) this.view.setVisible(k, e.target.checked);
    });
    p.addEventListener('click', (e) => {
      const tool = e.target.closest('button')?.dataset.tool;
      if (tool === 'measure') this.setMeasuring(!this.measuring);
      if (tool === 'palette') this.setPalette(this.view.paletteName === 'night' ? 'day' : 'night');
    });
    this.result = p.querySelector('.measure-result');
  }

  setPalette(name) {
    this.view.applyPalette(name);
    document.body.dataset.palette = name;
    // The button names the palette it switches to.
    this.panel.querySelector('[data-tool="palette"]').textContent = name === 'night' ? 'Day' : 'Night';
  }

  setMeasuring(on) {
    this.measuring = on;
    this.panel.querySelector('[data-tool="measure"]').classList.toggle('active', on);
    this.view.map.getCanvas().style.cursor = on ? 'crosshair' : '';
    if (on) {
      this.measure = null;
      this.view.onClick = (lngLat) => this.measureClick(lngLat);
    } else {
      this.view.onClick = null;
      this.measure = null;
      this.result.hidden = true;
      this.view.map.getSource('measure')?.setData({ type: 'FeatureCollection', features: [] });
    }
  }

  measureClick(lngLat) {
    if (!this.measure || this.measure.fixed) this.measure = { from: lngLat, to: lngLat, fixed: false };
    else {
      this.measure.to = lngLat;
      this.measure.fixed = true;
    }
    this.drawMeasure();
  }

  /** The current measurement {distance_m, bearing_deg} or null. */
  current() {
    const m = this.measure;
    if (!m) return null;
    return rangeBearing({ lat: m.from.lat, lon: m.from.lng }, { lat: m.to.lat, lon: m.to.lng });
  }

  drawMeasure() {
    const m = this.measure;
    const r = this.current();
    const text = formatRangeBearing(r);
    this.result.hidden = false;
    this.result.textContent = `${formatPosition(m.from.lat, m.from.lng)} → ${text}`;
    this.view.map.getSource('measure')?.setData({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[m.from.lng, m.from.lat], [m.to.lng, m.to.lat]] }, properties: {} },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [m.to.lng, m.to.lat] }, properties: { text } },
      ],
    });
  }
}

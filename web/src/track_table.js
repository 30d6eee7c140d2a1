// The track table: id, identity, class, standing, speed, course, sensors, age. Sorted by a
// clicked column, filtered by text, limited to the first rows (5,000 rows of DOM would cost more
// than the map) and refreshed at most once a second.
import { knots, degrees, identity, secondsBetween, shortAge } from './format.js';

const MAX_ROWS = 100;
const NUMERIC = [false, false, false, false, true, true, false, true]; // right-aligned columns
const COLUMNS = [
  ['id', 'ID', (t) => t.id],
  ['identity', 'Identity', (t) => identity(t.p)],
  ['class', 'Class', (t) => t.p.class],
  ['standing', 'Standing', (t) => t.p.standing],
  ['speed', 'Speed kn', (t) => t.p.speed_mps ?? 0],
  ['course', 'Course', (t) => t.p.course_deg ?? 0],
  ['sensors', 'Sensors', (t) => (t.p.sensors ?? []).join(' ')],
  ['age', 'Age', (t) => t.p.time ?? ''],
];

export class TrackTable {
  constructor(table, filterInput, countEl, store, onSelect) {
    this.table = table;
    this.store = store;
    this.onSelect = onSelect;
    this.sortKey = 'id';
    this.sortDir = 1;
    this.filter = '';
    this.selected = null;
    this.renderedVersion = -1;
    table.querySelector('thead').innerHTML = `<tr>${COLUMNS.map(([k, label]) => `<th data-key="${k}">${label}</th>`).join('')}</tr>`;
    table.querySelector('thead').addEventListener('click', (e) => {
      const key = e.target.dataset.key;
      if (!key) return;
      this.sortDir = key === this.sortKey ? -this.sortDir : (key === 'speed' ? -1 : 1);
      this.sortKey = key;
      this.render(true);
    });
    table.querySelector('tbody').addEventListener('click', (e) => {
      const row = e.target.closest('tr[data-track-id]');
      if (row) this.onSelect(Number(row.dataset.trackId));
    });
    filterInput.addEventListener('input', () => {
      this.filter = filterInput.value.trim().toLowerCase();
      this.render(true);
    });
    this.countEl = countEl;
    setInterval(() => this.render(false), 1000);
  }

  setSelected(id) {
    this.selected = id;
    this.render(true);
  }

  render(force) {
    if (!force && this.renderedVersion === this.store.version) return;
    this.renderedVersion = this.store.version;
    const now = this.store.time;
    let rows = [...this.store.tracks.values()];
    if (this.filter) {
      rows = rows.filter((t) => `${t.id} ${identity(t.p)} ${t.p.class} ${t.p.standing} ${t.p.mmsi ?? ''}`.toLowerCase().includes(this.filter));
    }
    const get = COLUMNS.find(([k]) => k === this.sortKey)[2];
    const dir = this.sortDir;
    rows.sort((a, b) => {
      const va = get(a);
      const vb = get(b);
      return (va < vb ? -1 : va > vb ? 1 : 0) * dir;
    });
    this.countEl.textContent = `${rows.length} tracks${rows.length > MAX_ROWS ? ` (first ${MAX_ROWS} shown: sort or filter)` : ''}`;
    const shown = rows.slice(0, MAX_ROWS);
    // Plain text, set as textContent: 800 cells through the HTML parser took 0.7 s of the main
    // thread while the first picture loaded (bench/web, load 10).
    const cells = shown.map((t) => {
      const p = t.p;
      return [
        String(t.id), identity(p), String(p.class ?? ''), String(p.standing ?? ''),
        knots(p.speed_mps), degrees(p.course_deg), (p.sensors ?? []).join(' '),
        shortAge(secondsBetween(p.time, now)),
      ];
    });
    // Rows are kept per track and updated in place (only cells whose text changed), moved when
    // the order changes: a row stays in the page while the operator clicks it, even as the
    // table refreshes every second.
    const body = this.table.querySelector('tbody');
    const old = new Map();
    for (const tr of body.rows) old.set(tr.dataset.trackId, tr);
    let prev = null;
    shown.forEach((t, r) => {
      const key = String(t.id);
      let tr = old.get(key);
      if (tr) old.delete(key);
      else {
        tr = document.createElement('tr');
        tr.dataset.trackId = key;
        for (const num of NUMERIC) tr.insertCell().className = num ? 'num' : '';
      }
      const was = tr.shownCells ?? [];
      cells[r].forEach((text, c) => {
        if (was[c] !== text) tr.cells[c].textContent = text;
      });
      tr.shownCells = cells[r];
      tr.cells[3].className = `standing-${cells[r][3]}`;
      tr.className = t.id === this.selected ? 'selected' : '';
      const at = prev ? prev.nextSibling : body.firstChild;
      if (at !== tr) body.insertBefore(tr, at);
      prev = tr;
    });
    for (const tr of old.values()) tr.remove();
  }
}

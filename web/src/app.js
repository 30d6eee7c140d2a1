// Wiring: fetch layers/assets/recordings, open the live feed, connect the panels. window.picket
// exposes the pieces for the browser tests and for poking from the console.
import { Store } from './store.js';
import { MapView } from './map/map_view.js';
import { MapTools } from './map/map_tools.js';
import { legendEntries } from './map/symbol_atlas.js';
import { basemapMetadata, basemapLimits } from './map/tiles.js';
import { Feed } from './feed.js';
import { AlertQueue } from './alert_queue.js';
import { IncidentPanel } from './alert_detail.js';
import { TrackTable } from './track_table.js';
import { TrackDetail } from './track_detail.js';
import { PatrolPanel } from './patrol_panel.js';
import { ReplayPanel } from './replay_panel.js';
import {
  getJson, sendCommand, commandToken, setCommandToken, operatorName, setOperatorName,
} from './api.js';

const $ = (id) => document.getElementById(id);

// MapLibre's worker starts now, while the first view's data is fetched, rather than with the map:
// it has a megabyte of script to compile before it can cut the first tiles.
globalThis.maplibregl.prewarm();

const store = new Store();
// The basemap's tile set and EEZ limit, if picket has them (scripts/setup.sh makes them), and the
// rule layers: all known before the style, fetched together, so the first view is right at once.
const layersReply = getJson('/api/layers');
const [basemap, limits, rules] = await Promise.all([basemapMetadata(), basemapLimits(), layersReply.catch(() => null)]);
const map = new MapView($('map'), store, { labelCanvas: $('labels'), basemap, limits, rules });
const tools = new MapTools(map, { panel: $('map-tools'), readout: $('cursor-pos') });
const feed = new Feed(store);

function toast(text, bad) {
  const el = $('toast');
  el.textContent = text;
  el.className = bad ? 'bad' : 'good';
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

async function command(cmd) {
  if (feed.mode === 'replay') {
    toast('Commands are disabled during replay', true);
    return;
  }
  const reply = await sendCommand(cmd);
  if (reply.ok) toast(`${cmd.cmd}: done`);
  else {
    toast(`${cmd.cmd}: ${reply.error ?? 'refused'}`, true);
    if (reply.auth) $('token-box').hidden = false;
  }
}

/** Selects track `id` (null or 0: none) everywhere; `alertId` when chosen through an alert. */
function selectTrack(id, alertId = null) {
  map.selectedTrack = id || null;
  map.touch();
  detail.show(id, alertId);
  table.setSelected(id || null);
}

const detail = new TrackDetail($('detail'), store, {
  onCommand: command,
  onTarget: (id) => patrol.setTarget(id),
});
const table = new TrackTable($('tracks'), $('track-filter'), $('track-count'), store, (id) => {
  selectTrack(id);
  const t = store.tracks.get(id);
  if (t) map.centreOn(t.lon, t.lat);
});
const alerts = new AlertQueue($('alerts'), $('banner'), store, {
  onSelect: (a) => {
    map.showIncident(a);
    incident.show(a.properties.alert_id);
    // Track id 0 (a ground-sensor or camera detection) is no track: the panel shows the incident.
    selectTrack(a.properties.track_id, a.properties.alert_id);
    if (a.properties.track_id) patrol.setTarget(a.properties.track_id);
  },
  onCommand: command,
  sharesEl: $('rule-shares'),
});
const patrol = new PatrolPanel($('patrol'), store, map);
const incident = new IncidentPanel($('incident'), store, {
  onCommand: command,
  assets: () => patrol.candidates(),
  onTarget: (id) => {
    selectTrack(id);
    const t = store.tracks.get(id);
    if (t) map.centreOn(t.lon, t.lat);
  },
  onPlace: (lon, lat) => map.centreOn(lon, lat, Math.max(map.map.getZoom(), 12)),
});
const replay = new ReplayPanel($('replay'), feed, store, (mode) => {
  document.body.dataset.mode = mode;
  $('mode').textContent = mode === 'live' ? 'LIVE' : 'REPLAY';
  // The picture was just emptied: show that now, not up to a second later with the other
  // mode's clock and rows still up.
  renderHeader();
  table.render(true);
  detail.render(true);
});
map.onSelectAlert = (id) => alerts.select(id);
map.onSelectTrack = (id) => {
  selectTrack(id);
  if (id !== null && id !== undefined) patrol.setTarget(patrol.targetId ?? null);
};

feed.onStatus = (s) => {
  $('conn').textContent = s;
  $('conn').className = `conn-${s.replace(/ /g, '-')}`;
};
feed.onError = (e) => {
  toast(e, true);
  // A refused or failed replay: back to the live picture rather than an empty map.
  if (feed.mode === 'replay') replay.live();
};

// Header: operator name and, when the server did not give us the token, a token box.
$('operator').value = operatorName();
$('operator').addEventListener('change', () => setOperatorName($('operator').value.trim() || 'operator'));
$('token-box').hidden = commandToken() !== '';
$('token').addEventListener('change', () => {
  setCommandToken($('token').value.trim());
  $('token-box').hidden = commandToken() !== '';
});
function renderHeader() {
  $('track-total').textContent = `${store.tracks.size} tracks`;
  $('clock').textContent = store.time ? store.time.slice(0, 19).replace('T', ' ') + 'Z' : '';
}
setInterval(renderHeader, 250);

// Legend.
$('legend').innerHTML = '<details open><summary>Symbols (APP-6D)</summary></details>';
map.symbolsReady.then((atlas) => $('legend').firstChild.append(...legendEntries(atlas).map(({ label, src }) => {
  const row = document.createElement('div');
  const img = new Image();
  img.src = src;
  row.append(img, ` ${label}`);
  return row;
})));

async function loadStatic() {
  const [layers, assets, recordings] = await Promise.allSettled([
    layersReply, getJson('/api/assets'), getJson('/api/recordings'),
  ]);
  if (layers.status === 'fulfilled') map.setLayers(layers.value);
  else toast('No border layers from the server', true);
  patrol.setAssets(assets.status === 'fulfilled' ? assets.value : []);
  replay.setRecordings(recordings.status === 'fulfilled' ? recordings.value : []);
}

loadStatic();
feed.live();
document.body.dataset.mode = 'live';

window.picket = { store, map, tools, feed, alerts, incident, table, detail, patrol, replay, selectTrack };

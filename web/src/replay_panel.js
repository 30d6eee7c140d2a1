// Replay: choose a recording and a start time, play, pause, change speed, back to live. The map
// and panels are the same; only the feed changes.
import { getJson } from './api.js';
import { clockOf, inputValueFromIso, isoFromInputValue } from './replay_time.js';
import { escapeHtml } from './format.js';

export class ReplayPanel {
  constructor(el, feed, store, onModeChange) {
    this.el = el;
    this.feed = feed;
    this.store = store;
    this.onModeChange = onModeChange;
    this.recordings = [];
    /** live | playing | paused | ended; shown in the panel so the operator knows a pause took. */
    this.state = 'live';
    /** What the running replay was started with: Play after a pause resumes only if unchanged. */
    this.started = null;
    const $ = (n) => el.querySelector(`[name="${n}"]`);
    this.$ = $;
    this.stateEl = el.querySelector('.replay-state');
    $('recording').addEventListener('change', () => this.fillFrom(true));
    // The server's own recording grows while it runs: fetch the list again when the operator
    // reaches for it, so its end time (and the input's max) are current.
    $('recording').addEventListener('focus', () => this.refresh());
    el.addEventListener('click', (e) => {
      const a = e.target.dataset.action;
      if (a === 'play') this.play();
      if (a === 'pause') this.pause();
      if (a === 'live') this.live();
    });
    $('speed').addEventListener('change', () => {
      this.feed.control('speed', this.speed());
      if (this.state === 'playing') this.setState('playing');
    });
    feed.onReplayEnd = () => this.setState('ended');
    this.setState('live');
  }

  speed() {
    return Number(this.$('speed').value);
  }

  async refresh() {
    try {
      this.setRecordings(await getJson('/api/recordings'));
    } catch {
      // Keep the list we have; the next focus tries again.
    }
  }

  setRecordings(list) {
    const select = this.$('recording');
    const label = (r) => (r.from && r.to ? `${r.name} ${clockOf(r.from)}–${clockOf(r.to)}Z` : r.name);
    const sameNames = list.length === this.recordings.length && list.every((r, i) => r.name === this.recordings[i].name);
    this.recordings = list;
    if (sameNames && list.length) {
      // Update the labels in place: replacing the options would close a list the operator opened.
      list.forEach((r, i) => { select.options[i].textContent = label(r); });
    } else {
      const chosen = select.value;
      select.innerHTML = list.length
        ? list.map((r) => `<option value="${escapeHtml(r.name)}">${escapeHtml(label(r))}</option>`).join('')
        : '<option value="">(no recordings)</option>';
      if (list.some((r) => r.name === chosen)) select.value = chosen;
    }
    this.fillFrom(false);
  }

  /** Bounds the start time to the chosen recording; fills it in when empty or asked to. */
  fillFrom(replace) {
    const r = this.recordings.find((x) => x.name === this.$('recording').value);
    const from = this.$('from');
    from.min = inputValueFromIso(r?.from);
    from.max = inputValueFromIso(r?.to);
    if (r?.from && (replace || !from.value)) from.value = inputValueFromIso(r.from);
  }

  /** The recording and start time the operator has chosen now. */
  choice() {
    return { name: this.$('recording').value, from: isoFromInputValue(this.$('from').value) };
  }

  play() {
    const choice = this.choice();
    const same = this.started && this.started.name === choice.name && this.started.from === choice.from;
    if (this.feed.mode === 'replay' && this.feed.ws && this.state === 'paused' && same) {
      this.feed.control('resume');
      this.setState('playing');
      return;
    }
    if (!choice.name) return;
    this.store.reset();
    this.store.changed('snapshot');
    this.feed.replay(choice.name, choice.from, this.speed());
    this.started = choice;
    this.setState('playing');
    this.onModeChange('replay');
  }

  pause() {
    if (this.state !== 'playing') return;
    this.feed.control('pause');
    this.setState('paused');
  }

  live() {
    this.started = null;
    this.setState('live');
    this.store.reset();
    this.store.changed('snapshot');
    this.feed.live();
    this.onModeChange('live');
  }

  setState(state) {
    this.state = state;
    this.el.dataset.state = state;
    if (this.stateEl) {
      this.stateEl.textContent = state === 'playing' ? `playing ${this.speed()}×`
        : state === 'live' ? '' : state;
    }
  }
}

// Replay: choose a recording and a start time, play, pause, change speed, back to live. The map
// and panels are the same; only the feed changes.

export class ReplayPanel {
  constructor(el, feed, store, onModeChange) {
    this.el = el;
    this.feed = feed;
    this.store = store;
    this.onModeChange = onModeChange;
    this.recordings = [];
    this.playing = false;
    const $ = (n) => el.querySelector(`[name="${n}"]`);
    $('recording').addEventListener('change', () => this.fillFrom());
    el.addEventListener('click', (e) => {
      const a = e.target.dataset.action;
      if (a === 'play') this.play();
      if (a === 'pause') this.pause();
      if (a === 'live') this.live();
    });
    $('speed').addEventListener('change', () => {
      this.feed.control('speed', Number($('speed').value));
    });
    this.$ = $;
  }

  setRecordings(list) {
    this.recordings = list;
    this.$('recording').innerHTML = list.length
      ? list.map((r) => `<option value="${r.name}">${r.name}</option>`).join('')
      : '<option value="">(no recordings)</option>';
    this.fillFrom();
  }

  fillFrom() {
    const r = this.recordings.find((x) => x.name === this.$('recording').value);
    if (r?.from) this.$('from').value = r.from.replace(/\.\d+/, '').replace('Z', '').slice(0, 19);
  }

  play() {
    if (this.feed.mode === 'replay' && this.feed.ws && !this.playing) {
      this.feed.control('resume');
      this.playing = true;
      return;
    }
    const name = this.$('recording').value;
    if (!name) return;
    const from = this.$('from').value ? `${this.$('from').value}Z` : '';
    this.store.reset();
    this.store.changed('snapshot');
    this.feed.replay(name, from, Number(this.$('speed').value));
    this.playing = true;
    this.onModeChange('replay');
  }

  pause() {
    this.feed.control('pause');
    this.playing = false;
  }

  live() {
    this.playing = false;
    this.store.reset();
    this.store.changed('snapshot');
    this.feed.live();
    this.onModeChange('live');
  }
}

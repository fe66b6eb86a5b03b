/**
 * The overlay page's script, sent inline. Plain ES2020 for OBS's Chromium; no template literals, so
 * that it can live in this TypeScript string. It renders only with textContent (never HTML from the
 * wire), reconnects with jittered backoff, and re-renders everything from each snapshot.
 */
export const OVERLAY_CLIENT_JS = `
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('um-config').textContent);
  var root = document.querySelector('.um-overlay');
  var $ = function (sel) { return root.querySelector(sel); };
  var el = {
    now: $('.um-now'), art: $('.um-art-img'), title: $('.um-now-title'), artist: $('.um-now-artist'),
    mode: $('.um-mode'), fill: $('.um-progress-fill'), progress: $('.um-progress'),
    elapsed: $('.um-elapsed'), duration: $('.um-duration'), radio: $('.um-radio'),
    radioArt: $('.um-radio .um-art-img'), radioSong: $('.um-radio-song'), radioArtist: $('.um-radio-artist'),
    radioStation: $('.um-radio-station'), queue: $('.um-queue'), list: $('.um-list'),
    count: $('.um-queue-count'), empty: $('.um-empty'), conn: $('.um-conn')
  };
  var key = new URLSearchParams(location.search).get('key') || '';
  var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/music/' +
    encodeURIComponent(cfg.communityId) + '?key=' + encodeURIComponent(key);
  var state = { now: null, nowAt: 0, queue: null, mode: null, radio: null };
  var attempt = 0;
  var MODES = { music: 'Music', radio: 'Radio', none: 'Idle' };

  function text(node, value) {
    var v = value == null ? '' : String(value);
    if (node.textContent !== v) node.textContent = v;
  }
  function art(img, url) {
    var ok = typeof url === 'string' && /^https?:\\/\\//i.test(url);
    if (!ok) { img.hidden = true; img.removeAttribute('src'); return; }
    if (img.getAttribute('src') !== url) { img.hidden = false; img.src = url; }
  }
  function clock(ms) {
    if (ms == null || !isFinite(ms) || ms < 0) return '';
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h > 0 && m < 10 ? '0' + m : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + (r < 10 ? '0' + r : r);
  }
  function swap(node) {
    node.classList.remove('um-swap');
    void node.offsetWidth;
    node.classList.add('um-swap');
  }
  function voteText(n) { return n > 0 ? '+' + n : String(n); }

  function renderNow() {
    var d = state.now, t = d && d.track;
    var changed = el.title.dataset.key !== (t ? t.name + '|' + t.artist : '');
    el.title.dataset.key = t ? t.name + '|' + t.artist : '';
    text(el.title, t ? t.name : 'Nothing playing');
    text(el.artist, t ? (t.artist || t.album || '') : 'Request a song to get started');
    art(el.art, t && t.album_art_url);
    root.dataset.playing = t && !d.paused ? 'true' : 'false';
    el.progress.dataset.live = t && t.duration_ms == null ? 'true' : 'false';
    if (changed && t) swap(el.now);
    tick();
  }
  function renderNowAndMode() { renderNow(); renderMode(); }
  function tick() {
    var d = state.now, t = d && d.track;
    if (!t) { el.fill.style.transform = 'scaleX(0)'; text(el.elapsed, ''); text(el.duration, ''); return; }
    var pos = d.position_ms == null ? null : d.position_ms + (d.paused ? 0 : performance.now() - state.nowAt);
    var dur = t.duration_ms;
    if (pos != null && dur) pos = Math.min(pos, dur);
    el.fill.style.transform = 'scaleX(' + (dur && pos != null ? Math.max(0, Math.min(1, pos / dur)) : 0) + ')';
    text(el.elapsed, d.paused ? 'Paused' : clock(pos));
    text(el.duration, dur ? clock(dur) : 'Live');
  }
  function renderMode() {
    var m = (state.mode && state.mode.active_mode) || 'none';
    // Without a mode switch ever made, a playing track is music.
    if (m === 'none' && state.now && state.now.track) m = 'music';
    root.dataset.mode = m;
    text(el.mode, MODES[m] || m);
    el.radio.hidden = m !== 'radio';
    el.now.hidden = m === 'radio';
    renderRadio();
  }
  function renderRadio() {
    var r = state.radio, np = r && r.now_playing;
    var station = (r && r.station) || (state.mode && state.mode.station && state.mode.station.name) || 'Radio';
    text(el.radioStation, station);
    text(el.radioSong, (np && np.title) || station);
    text(el.radioArtist, (np && (np.artist || np.album)) || 'Live radio');
    art(el.radioArt, np && np.thumbnail_url);
  }
  function renderQueue() {
    var q = state.queue || { items: [], total: 0 };
    var items = q.items.slice(0, cfg.max);
    var before = {};
    var old = {};
    Array.prototype.forEach.call(el.list.children, function (li) {
      old[li.dataset.id] = li;
      before[li.dataset.id] = li.getBoundingClientRect().top;
    });
    var fresh = [];
    items.forEach(function (item, i) {
      var li = old[item.id];
      if (li) { delete old[item.id]; } else {
        li = document.createElement('li');
        li.className = 'um-item';
        li.dataset.id = item.id;
        li.innerHTML = '<span class="um-pos"></span><span class="um-item-text"><span class="um-title"></span>' +
          '<span class="um-artist"></span></span> <span class="um-votes"></span>';
        fresh.push(li);
      }
      text(li.querySelector('.um-pos'), item.position || i + 1);
      text(li.querySelector('.um-title'), item.track.name);
      text(li.querySelector('.um-artist'), item.track.artist || '');
      var votes = li.querySelector('.um-votes');
      var v = voteText(item.votes);
      if (votes.textContent !== v) {
        var had = votes.textContent !== '';
        votes.textContent = v;
        votes.dataset.sign = item.votes > 0 ? 'up' : item.votes < 0 ? 'down' : 'zero';
        if (had) { votes.classList.remove('um-bump'); void votes.offsetWidth; votes.classList.add('um-bump'); }
      }
      if (el.list.children[i] !== li) el.list.insertBefore(li, el.list.children[i] || null);
    });
    Object.keys(old).forEach(function (id) { old[id].remove(); });
    // FLIP: items that moved slide from where they were.
    Array.prototype.forEach.call(el.list.children, function (li) {
      var top = before[li.dataset.id];
      if (top === undefined || !li.animate) return;
      var dy = top - li.getBoundingClientRect().top;
      if (Math.abs(dy) > 1) {
        li.animate([{ transform: 'translateY(' + dy + 'px)' }, { transform: 'none' }],
          { duration: 420, easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)' });
      }
    });
    fresh.forEach(function (li) { li.classList.add('um-enter'); });
    el.empty.hidden = items.length > 0;
    var more = q.total - items.length;
    text(el.count, q.total === 0 ? '' : more > 0 ? q.total + ' queued \\u00b7 +' + more + ' more' : q.total + ' queued');
    el.queue.dataset.empty = items.length === 0 ? 'true' : 'false';
    if (cfg.layout === 'compact') el.queue.hidden = items.length === 0;
  }
  function renderAll() { renderNow(); renderMode(); renderQueue(); }

  function handle(f) {
    var d = f.data;
    if (f.type === 'snapshot') {
      state.now = d.now_playing; state.nowAt = performance.now();
      state.queue = d.queue; state.mode = d.mode; state.radio = d.radio;
      renderAll();
      root.dataset.ready = 'true';
    } else if (f.type === 'now_playing') {
      state.now = d; state.nowAt = performance.now(); renderNowAndMode();
    } else if (f.type === 'queue_update') {
      state.queue = d; renderQueue();
    } else if (f.type === 'mode_change') {
      state.mode = d; renderMode();
    } else if (f.type === 'radio_update') {
      state.radio = d; renderRadio();
    }
  }
  function setConn(s, message) {
    root.dataset.conn = s;
    text(el.conn, message || '');
  }
  function connect() {
    var ws = new WebSocket(wsUrl);
    var opened = false;
    ws.onopen = function () { opened = true; attempt = 0; setConn('live'); };
    ws.onmessage = function (e) {
      var f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      if (!f || typeof f !== 'object') return;
      if (f.v !== cfg.version) { setTimeout(function () { location.reload(); }, 5000); return; }
      handle(f);
    };
    ws.onclose = function (e) {
      if (e.code === 4001) { setConn('rotated', 'Overlay key replaced: update this Browser Source URL'); return; }
      setConn('reconnecting', 'Reconnecting\\u2026');
      var delay = Math.min(15000, 400 * Math.pow(2, attempt)) * (0.6 + Math.random() * 0.4);
      attempt = opened ? 1 : attempt + 1;
      setTimeout(connect, delay);
    };
  }
  [el.art, el.radioArt].forEach(function (img) {
    img.addEventListener('error', function () { img.hidden = true; });
  });
  art(el.art, null);
  art(el.radioArt, null);
  renderAll();
  setInterval(tick, 250);
  connect();
})();
`;

/**
 * The overlay's stylesheet. Everything a streamer may restyle is a `--um-*` custom property or a
 * stable `um-*` class (docs/OVERLAY.md); OBS's "Custom CSS" box is the hook.
 */
export const OVERLAY_CSS = `
:root {
  --um-accent: #7c5cff;
  --um-font: "Inter", "SF Pro Text", "Segoe UI Variable Text", "Segoe UI", system-ui, -apple-system,
    "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  --um-width: 440px;
  --um-radius: 20px;
  --um-gap: 10px;
  --um-art-size: 88px;
  --um-blur: 20px;
  --um-text: #f4f5fb;
  --um-text-dim: rgba(236, 238, 248, 0.62);
  --um-surface: rgba(16, 17, 28, 0.66);
  --um-surface-strong: rgba(255, 255, 255, 0.06);
  --um-border: rgba(255, 255, 255, 0.10);
  --um-shadow: 0 18px 40px -12px rgba(0, 0, 0, 0.55), 0 2px 8px rgba(0, 0, 0, 0.25);
  --um-track: rgba(255, 255, 255, 0.12);
  --um-down: #ff6b81;
  --um-motion: 1;
}
.um-theme-light {
  --um-text: #161726;
  --um-text-dim: rgba(22, 23, 38, 0.58);
  --um-surface: rgba(255, 255, 255, 0.74);
  --um-surface-strong: rgba(22, 23, 38, 0.05);
  --um-border: rgba(22, 23, 38, 0.08);
  --um-shadow: 0 18px 40px -14px rgba(30, 30, 60, 0.35), 0 2px 8px rgba(30, 30, 60, 0.10);
  --um-track: rgba(22, 23, 38, 0.10);
}
.um-layout-compact {
  --um-width: 360px;
  --um-art-size: 52px;
  --um-radius: 16px;
  --um-gap: 8px;
}
html, body {
  margin: 0;
  padding: 0;
  background: transparent;
  overflow: hidden;
}
* { box-sizing: border-box; }
.um-overlay {
  width: var(--um-width);
  padding: 14px;
  display: flex;
  flex-direction: column;
  gap: var(--um-gap);
  font-family: var(--um-font);
  color: var(--um-text);
  -webkit-font-smoothing: antialiased;
  text-rendering: optimizeLegibility;
  font-feature-settings: "tnum" 1;
}
.um-card {
  position: relative;
  overflow: hidden;
  border-radius: var(--um-radius);
  background: var(--um-surface);
  border: 1px solid var(--um-border);
  box-shadow: var(--um-shadow);
  backdrop-filter: blur(var(--um-blur)) saturate(150%);
  -webkit-backdrop-filter: blur(var(--um-blur)) saturate(150%);
}
.um-card::before {
  content: "";
  position: absolute;
  inset: 0;
  pointer-events: none;
  background: linear-gradient(135deg, color-mix(in srgb, var(--um-accent) 22%, transparent), transparent 55%);
  opacity: 0.9;
}
.um-card[hidden] { display: none; }
.um-now, .um-radio {
  display: flex;
  align-items: center;
  gap: 14px;
  padding: 14px;
}
.um-art {
  position: relative;
  flex: none;
  width: var(--um-art-size);
  height: var(--um-art-size);
  border-radius: calc(var(--um-radius) - 6px);
  overflow: hidden;
  background: linear-gradient(140deg, var(--um-accent), color-mix(in srgb, var(--um-accent) 35%, #0b0b14));
  box-shadow: 0 8px 22px -8px color-mix(in srgb, var(--um-accent) 70%, transparent);
}
.um-art-img {
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  object-fit: cover;
  transition: opacity 300ms ease;
}
.um-art-img[hidden] { display: none; }
.um-art-glyph {
  position: absolute;
  inset: 0;
  display: grid;
  place-items: center;
  font-size: calc(var(--um-art-size) * 0.42);
  color: rgba(255, 255, 255, 0.92);
}
.um-meta { position: relative; min-width: 0; flex: 1; }
.um-kicker {
  display: flex;
  align-items: center;
  gap: 8px;
  margin-bottom: 4px;
  font-size: 10.5px;
  font-weight: 700;
  letter-spacing: 0.12em;
  text-transform: uppercase;
  color: var(--um-text-dim);
}
.um-mode {
  padding: 2px 7px;
  border-radius: 999px;
  color: var(--um-accent);
  background: color-mix(in srgb, var(--um-accent) 16%, transparent);
  border: 1px solid color-mix(in srgb, var(--um-accent) 35%, transparent);
}
.um-eq { display: inline-flex; align-items: flex-end; gap: 2px; height: 10px; }
.um-eq i {
  display: block;
  width: 2px;
  height: 100%;
  border-radius: 1px;
  background: var(--um-accent);
  transform-origin: bottom;
  animation: um-eq 900ms ease-in-out infinite;
}
.um-eq i:nth-child(2) { animation-delay: -300ms; }
.um-eq i:nth-child(3) { animation-delay: -600ms; }
.um-overlay[data-playing="false"] .um-eq i { animation: none; transform: scaleY(0.3); }
@keyframes um-eq { 0%, 100% { transform: scaleY(0.3); } 50% { transform: scaleY(1); } }
.um-now-title, .um-radio-song {
  font-size: 19px;
  font-weight: 700;
  line-height: 1.2;
  letter-spacing: -0.01em;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.um-now-artist, .um-radio-artist {
  margin-top: 2px;
  font-size: 14px;
  color: var(--um-text-dim);
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.um-radio-station { font-size: 12px; color: var(--um-text-dim); margin-top: 4px; }
.um-progress {
  position: relative;
  margin-top: 10px;
  height: 4px;
  border-radius: 999px;
  background: var(--um-track);
  overflow: hidden;
}
.um-progress-fill {
  position: absolute;
  inset: 0;
  border-radius: inherit;
  background: linear-gradient(90deg, color-mix(in srgb, var(--um-accent) 70%, #fff), var(--um-accent));
  transform-origin: left;
  transform: scaleX(0);
}
.um-progress[data-live="true"] .um-progress-fill {
  transform: none;
  opacity: 0.35;
}
.um-times {
  display: flex;
  justify-content: space-between;
  margin-top: 5px;
  font-size: 11px;
  color: var(--um-text-dim);
}
.um-queue { padding: 12px 10px 8px; }
.um-queue-head {
  position: relative;
  display: flex;
  justify-content: space-between;
  padding: 0 6px 6px;
  font-size: 10.5px;
  font-weight: 700;
  letter-spacing: 0.12em;
  text-transform: uppercase;
  color: var(--um-text-dim);
}
.um-list { position: relative; list-style: none; margin: 0; padding: 0; }
.um-item {
  position: relative;
  display: flex;
  align-items: center;
  gap: 10px;
  padding: 7px 6px;
  border-radius: 12px;
  font-size: 14px;
}
.um-item + .um-item::before {
  content: "";
  position: absolute;
  top: 0;
  left: 36px;
  right: 6px;
  height: 1px;
  background: var(--um-border);
}
.um-item:first-child .um-pos { color: var(--um-accent); }
.um-item.um-enter { animation: um-enter 420ms cubic-bezier(0.2, 0.8, 0.2, 1); }
.um-pos {
  flex: none;
  width: 20px;
  text-align: center;
  font-size: 12px;
  font-weight: 700;
  color: var(--um-text-dim);
}
.um-item-text { min-width: 0; flex: 1; display: flex; flex-direction: column; }
.um-title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.um-artist {
  font-size: 12px;
  color: var(--um-text-dim);
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.um-artist:empty { display: none; }
.um-votes {
  flex: none;
  min-width: 38px;
  padding: 3px 8px;
  border-radius: 999px;
  text-align: center;
  font-size: 12.5px;
  font-weight: 800;
  color: var(--um-text-dim);
  background: var(--um-surface-strong);
}
.um-votes[data-sign="up"] {
  color: var(--um-accent);
  background: color-mix(in srgb, var(--um-accent) 16%, transparent);
}
.um-votes[data-sign="down"] { color: var(--um-down); background: color-mix(in srgb, var(--um-down) 14%, transparent); }
.um-votes.um-bump { animation: um-bump 620ms cubic-bezier(0.3, 1.6, 0.4, 1); }
@keyframes um-bump {
  0% { transform: scale(1); box-shadow: 0 0 0 0 color-mix(in srgb, var(--um-accent) 60%, transparent); }
  35% { transform: scale(1.28); }
  100% { transform: scale(1); box-shadow: 0 0 0 10px transparent; }
}
@keyframes um-enter { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
.um-empty { padding: 6px 6px 8px; font-size: 13px; color: var(--um-text-dim); }
.um-swap { animation: um-swap 480ms ease; }
@keyframes um-swap { from { opacity: 0.2; filter: blur(4px); } to { opacity: 1; filter: none; } }
.um-conn {
  align-self: flex-start;
  display: none;
  align-items: center;
  gap: 6px;
  padding: 4px 9px;
  border-radius: 999px;
  font-size: 11px;
  color: var(--um-text);
  background: var(--um-surface);
  border: 1px solid var(--um-border);
}
.um-conn::before { content: ""; width: 6px; height: 6px; border-radius: 50%; background: #f5a524; }
.um-overlay[data-conn="reconnecting"] .um-conn, .um-overlay[data-conn="rotated"] .um-conn { display: inline-flex; }
.um-overlay[data-conn="rotated"] .um-conn::before { background: var(--um-down); }
.um-layout-compact .um-now { padding: 10px; gap: 10px; }
.um-layout-compact .um-now-title { font-size: 15px; }
.um-layout-compact .um-now-artist { font-size: 12px; }
.um-layout-compact .um-times, .um-layout-compact .um-kicker, .um-layout-compact .um-artist { display: none; }
.um-layout-compact .um-progress { margin-top: 7px; height: 3px; }
.um-layout-compact .um-item { padding: 5px 6px; font-size: 13px; }
@media (prefers-reduced-motion: reduce) {
  :root { --um-motion: 0; }
  *, *::before { animation: none !important; transition: none !important; }
}
`;

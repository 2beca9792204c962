// The compare board: a grid of cards with one shared play/pause/seek/loop/speed bar.
// Live videos play from their URL; local files are asked for over the widget's comm and
// played from blob URLs, so nothing is saved into the notebook and no file route is needed.
// Each card with a downloaded video shows its contact sheet (a JPEG strip of first, middle and
// last frame) above the player, asked for first and shown from a blob URL the same way.

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// Icons are inline SVG paths (no icon font, no emoji glyph): they draw the same everywhere.
const ICONS = {
  play: "M4 2.5v11l9-5.5z",
  pause: "M3.5 2.5h3.5v11H3.5zM9 2.5h3.5v11H9z",
  enlarge: "M9.5 2H14v4.5h-1.6V4.7L9.9 7.2 8.8 6.1l2.5-2.5H9.5zM2 9.5h1.6v1.8l2.5-2.5 1.1 1.1-2.5 2.5h1.8V14H2z",
  star: "M8 1.2l2.1 4.4 4.8.6-3.5 3.3.9 4.8L8 12l-4.3 2.3.9-4.8L1.1 6.2l4.8-.6z",
  remove: "M4.1 3l3.9 3.9L11.9 3 13 4.1 9.1 8l3.9 3.9-1.1 1.1L8 9.1 4.1 13 3 11.9 6.9 8 3 4.1z",
};

function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [key, value] of Object.entries({ viewBox: "0 0 16 16", width: "1em", height: "1em",
    "aria-hidden": "true", focusable: "false", class: `kn-icon kn-icon-${name}` })) svg.setAttribute(key, value);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

function labelled(button, name, text) {
  // An icon and, where given, a word beside it; the button's accessible name stays its aria-label.
  button.replaceChildren(icon(name), ...(text ? [" " + text] : []));
}

function pairs(rows, cls) {
  return el("dl", { class: cls }, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

function syncBar(videos) {
  const play = el("button", { class: "kn-play", type: "button", "aria-label": "play all" });
  labelled(play, "play", "play all");
  const seek = el("input", { class: "kn-seek", type: "range", min: "0", max: "1000", value: "0", "aria-label": "seek all" });
  const loop = el("input", { class: "kn-loop", type: "checkbox", "aria-label": "loop all" });
  const speed = el("select", { class: "kn-speed", "aria-label": "speed" },
    ["0.25", "0.5", "1", "1.5", "2"].map((s) => el("option", { value: s, text: `${s}×` })));
  speed.value = "1";
  const longest = () => Math.max(0, ...videos().map((v) => v.duration || 0));
  const paused = () => videos().every((v) => v.paused);
  play.addEventListener("click", () => {
    const all = videos();
    if (paused()) {
      const t = all.length ? all[0].currentTime : 0;
      for (const v of all) { v.currentTime = Math.min(t, v.duration || t); v.muted = true; v.play().catch(() => {}); }
    } else for (const v of all) v.pause();
  });
  seek.addEventListener("input", () => {
    const t = (Number(seek.value) / 1000) * longest();
    for (const v of videos()) v.currentTime = Math.min(t, v.duration || t);
  });
  loop.addEventListener("change", () => { for (const v of videos()) v.loop = loop.checked; });
  speed.addEventListener("change", () => { for (const v of videos()) v.playbackRate = Number(speed.value); });
  const tick = () => {
    const all = videos();
    const state = paused() ? "play" : "pause";
    if (play.dataset.state !== state) {
      play.dataset.state = state;
      labelled(play, state, `${state} all`);
      play.setAttribute("aria-label", `${state} all`);
    }
    if (all.length && longest() > 0) seek.value = String(Math.round((all[0].currentTime / longest()) * 1000));
  };
  const bar = el("div", { class: "kn-syncbar", role: "toolbar", "aria-label": "play all in sync" },
    [play, seek, el("label", {}, [loop, " loop"]), el("label", {}, ["speed ", speed])]);
  return { bar, tick };
}

function stars(card, model, index) {
  const box = el("span", { class: "kn-stars", role: "group", "aria-label": "rating" });
  for (let n = 1; n <= 5; n++) {
    box.append(el("button", { type: "button", class: "kn-star", "data-stars": String(n),
      "aria-label": `${n} star${n > 1 ? "s" : ""}`, title: `${n} (key ${n})`,
      onclick: () => model.send({ kind: "rate", index, stars: n }) }, [icon("star")]));
  }
  return box;
}

function tagRow(model, index) {
  const input = el("input", { class: "kn-tag-input", type: "text", placeholder: "tag + Enter", "aria-label": "add a tag" });
  const add = () => { if (input.value.trim()) model.send({ kind: "tag", index, tag: input.value.trim() }); input.value = ""; };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") add(); e.stopPropagation(); });
  return el("div", { class: "kn-tags" }, [el("span", { class: "kn-tag-list" }), input,
    el("button", { type: "button", class: "kn-tag-add", text: "tag", onclick: add })]);
}

function noteRow(model, index) {
  const area = el("textarea", { class: "kn-note", rows: "2", placeholder: "note", "aria-label": "note" });
  area.addEventListener("keydown", (e) => e.stopPropagation());
  const save = el("button", { type: "button", class: "kn-note-save", text: "save note",
    onclick: () => model.send({ kind: "note", index, note: area.value }) });
  return el("div", { class: "kn-notes" }, [area, save]);
}

const MORE_FRAMES = 6;

function sheetRow(state, model, index, video) {
  // The strip arrives later (msg "sheet"); a click on one of its frames seeks the player there.
  const img = el("img", { class: "kn-sheet", alt: "contact sheet: first, middle and last frame", title: "click a frame to seek there" });
  img.hidden = true;
  img.addEventListener("click", (e) => {
    const n = Number(img.dataset.frames || 3);
    const width = img.getBoundingClientRect().width || 1;
    const i = Math.min(n - 1, Math.max(0, Math.floor((e.offsetX / width) * n)));
    const duration = video.duration || 0;
    if (duration > 0) video.currentTime = n > 1 ? Math.min(duration - 0.05, (i / (n - 1)) * duration) : 0;
  });
  const more = el("button", { type: "button", class: "kn-sheet-more", text: "more frames", title: `a strip of ${MORE_FRAMES} frames`,
    onclick: () => {
      const frames = Number(img.dataset.frames || 3) === MORE_FRAMES ? 3 : MORE_FRAMES;
      model.send({ kind: "sheet", index, frames });
    } });
  more.hidden = true;
  return el("div", { class: "kn-sheet-box" }, [img, el("small", { class: "kn-sheet-message" }), more]);
}

function metricsRow(state) {
  // What was measured on the file (length, size, sound, motion, sharpness) and what is worth a look.
  if (!state.metrics) return "";
  return el("div", { class: "kn-metrics" }, [el("small", { class: "kn-metrics-line", text: state.metrics }),
    ...(state.flags || []).map((flag) => el("div", { class: "kn-flag", text: `! ${flag}` }))]);
}

function makeCard(state, index, model, canRate) {
  const video = el("video", { class: "kn-video", preload: "metadata", muted: "", playsinline: "", controls: "" });
  video.muted = true;
  video.dataset.key = state.key;
  if (state.poster) video.poster = state.poster;
  if (state.src) video.src = state.src;
  const diff = pairs(state.differ, "kn-differ");
  const full = el("details", { class: "kn-record" }, [el("summary", { text: "full record" }), pairs(state.record, "kn-full")]);
  const enlarge = el("button", { type: "button", class: "kn-enlarge", title: "enlarge (key e)", "aria-label": "enlarge" }, [icon("enlarge")]);
  const remix = el("button", { type: "button", class: "kn-remix", text: "remix this", onclick: () => model.send({ kind: "remix", index }) });
  const head = el("div", { class: "kn-card-head" }, [el("b", { text: state.title }), state.sandbox ? el("span", { class: "kn-sandbox", text: "SANDBOX" }) : "", state.unchecked ? el("span", { class: "kn-unchecked", text: "UNCHECKED", title: "a model the catalogue does not know: its body was sent as given" }) : "", enlarge]);
  const controls = canRate ? [stars(null, model, index), tagRow(model, index), noteRow(model, index)] : [el("small", { text: "pass journal= to rate, tag and note" })];
  const card = el("div", { class: "kn-card", tabindex: "0", "data-index": String(index), "data-key": state.key },
    [head, state.sheet ? sheetRow(state, model, index, video) : "", video, el("div", { class: "kn-message" }), diff, metricsRow(state), ...controls, state.remix ? remix : "", full]);
  enlarge.addEventListener("click", () => card.classList.toggle("kn-big"));
  card.addEventListener("keydown", (e) => {
    if (e.target !== card) return;
    if (canRate && e.key >= "1" && e.key <= "5") model.send({ kind: "rate", index, stars: Number(e.key) });
    else if (e.key === "e") card.classList.toggle("kn-big");
    else if (e.key === " ") { e.preventDefault(); video.paused ? video.play().catch(() => {}) : video.pause(); }
  });
  return card;
}

function showState(card, state, model, index) {
  for (const star of card.querySelectorAll(".kn-star")) star.classList.toggle("kn-on", Number(star.dataset.stars) <= (state.rating || 0));
  const list = card.querySelector(".kn-tag-list");
  if (list) list.replaceChildren(...state.tags.map((tag) => el("button", { type: "button", class: "kn-tag",
    title: `remove tag ${tag}`, "aria-label": `remove tag ${tag}`, onclick: () => model.send({ kind: "untag", index, tag }) },
    [`${tag} `, icon("remove")])));
  const note = card.querySelector(".kn-note");
  if (note && document.activeElement !== note) note.value = state.note || "";
}

function render({ model, el: root }) {
  const canRate = model.get("can_rate");
  const head = el("div", { class: "kn-head" }, [el("b", { text: model.get("title") }),
    pairs(model.get("shared"), "kn-shared")]);
  const grid = el("div", { class: "kn-grid" });
  const videos = () => Array.from(grid.querySelectorAll("video.kn-video"));
  const { bar, tick } = syncBar(videos);
  const cards = model.get("cards").map((state, i) => makeCard(state, i, model, canRate));
  grid.append(...cards);
  const update = () => model.get("cards").forEach((s, i) => cards[i] && showState(cards[i], s, model, i));
  update();
  const blobs = [];
  const showSheet = (card, msg, buffers) => {
    const img = card.querySelector("img.kn-sheet");
    if (!img) return;
    const text = card.querySelector(".kn-sheet-message");
    if (buffers && buffers.length) {
      const url = URL.createObjectURL(new Blob([buffers[0]], { type: msg.type || "image/jpeg" }));
      const old = blobs.indexOf(img.src);
      if (old >= 0) { URL.revokeObjectURL(img.src); blobs.splice(old, 1); }
      blobs.push(url);
      img.dataset.frames = String(msg.frames || 3);
      img.alt = `contact sheet: ${img.dataset.frames} frames, first to last`;
      img.src = url;
      img.hidden = false;
      text.textContent = "";
      const more = card.querySelector(".kn-sheet-more");
      more.hidden = false;
      more.textContent = Number(img.dataset.frames) === MORE_FRAMES ? "fewer frames" : "more frames";
    } else text.textContent = msg.message || "";
  };
  const onMessage = (msg, buffers) => {
    if (msg.kind === "sheet") {
      const card = cards.find((c) => c.dataset.key === msg.key);
      if (card) showSheet(card, msg, buffers);
      return;
    }
    const video = videos().find((v) => v.dataset.key === msg.key);
    if (!video) return;
    if (msg.kind === "video" && buffers && buffers.length) {
      const url = URL.createObjectURL(new Blob([buffers[0]], { type: msg.type || "video/mp4" }));
      blobs.push(url);
      video.src = url;
    } else if (msg.kind === "error") {
      video.closest(".kn-card").querySelector(".kn-message").textContent = msg.message;
    }
  };
  model.on("msg:custom", onMessage);
  model.on("change:cards", update);
  // Sheets first (small), so the grid can be judged before the videos have arrived.
  for (const [i, state] of model.get("cards").entries()) if (state.sheet) model.send({ kind: "sheet", index: i });
  for (const [i, state] of model.get("cards").entries()) if (state.local) model.send({ kind: "fetch", index: i });
  const timer = setInterval(tick, 250);
  root.classList.add("kling-nb-board");
  root.append(head, bar, grid);
  return () => {
    clearInterval(timer);
    model.off("msg:custom", onMessage);
    model.off("change:cards", update);
    for (const url of blobs) URL.revokeObjectURL(url);
  };
}

export default { render };

// Blind review: two videos side by side (no labels, sides chosen by the kernel), played in
// sync; a key or a button says which is better, a tie, or skip; undo; a progress count.
// Local videos are asked for over the widget's comm and played from blob URLs (kept per
// random key, so a video seen before comes back at once); nothing is saved into the notebook.

const KEYS = {
  ArrowLeft: "left", a: "left", ArrowRight: "right", d: "right",
  ArrowDown: "tie", t: "tie", s: "skip",
};

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

function side(name) {
  const video = el("video", { class: "kn-review-video", muted: "", playsinline: "", loop: "",
    preload: "auto", "aria-label": `${name} video` });
  video.muted = true;
  video.loop = true;
  const message = el("div", { class: "kn-review-message" });
  const pane = el("figure", { class: `kn-review-side kn-review-${name}` },
    [el("figcaption", { text: name === "left" ? "left (← or a)" : "right (→ or d)" }), video, message]);
  return { pane, video, message };
}

function render({ model, el: root }) {
  const blobs = new Map(); // key -> blob URL
  const panes = { left: side("left"), right: side("right") };
  const videos = () => [panes.left.video, panes.right.video];
  const title = el("b", { class: "kn-review-title" });
  const sandbox = el("span", { class: "kn-sandbox", text: "SANDBOX", title: "offline emulator: not a video made by Kling" });
  const progress = el("span", { class: "kn-review-progress", role: "status", "aria-live": "polite" });
  const play = el("button", { type: "button", class: "kn-review-play", text: "❚❚ pause", "aria-label": "play or pause both (Space)" });
  const seek = el("input", { class: "kn-review-seek", type: "range", min: "0", max: "1000", value: "0", "aria-label": "seek both" });
  const speed = el("select", { class: "kn-review-speed", "aria-label": "speed" },
    ["0.25", "0.5", "1", "1.5", "2"].map((s) => el("option", { value: s, text: `${s}×` })));
  speed.value = "1";
  let waiting = false; // a vote was sent: no other until the next pair arrives
  const vote = (outcome) => {
    const pair = model.get("pair");
    if (waiting || !pair || !pair.round) return;
    waiting = true;
    for (const b of buttons) b.disabled = true;
    model.send({ kind: "vote", outcome, round: pair.round });
  };
  const undo = () => { if (model.get("can_undo")) model.send({ kind: "undo" }); };
  const button = (cls, text, label, keys, action) => el("button", { type: "button", class: cls, text,
    "aria-label": label, "aria-keyshortcuts": keys, title: `${label} (${keys})`, onclick: action });
  const buttons = [
    button("kn-vote-left", "◀ left is better", "the left video is better", "ArrowLeft a", () => vote("left")),
    button("kn-vote-tie", "tie", "both are as good", "ArrowDown t", () => vote("tie")),
    button("kn-vote-skip", "skip", "skip this pair", "s", () => vote("skip")),
    button("kn-vote-right", "right is better ▶", "the right video is better", "ArrowRight d", () => vote("right")),
  ];
  const undoButton = button("kn-review-undo", "↶ undo", "take back the last verdict", "u Backspace", undo);
  const done = el("div", { class: "kn-review-done", role: "status" });
  const stage = el("div", { class: "kn-review-stage" }, [panes.left.pane, panes.right.pane]);
  const bar = el("div", { class: "kn-review-bar", role: "toolbar", "aria-label": "play both in sync" },
    [play, seek, el("label", {}, ["speed ", speed])]);
  const votes = el("div", { class: "kn-review-votes", role: "group", "aria-label": "which is better" },
    [...buttons, undoButton]);
  const help = el("small", { class: "kn-review-help",
    text: "Keys: ← / a left · → / d right · ↓ / t tie · s skip · u undo · Space play/pause. Labels are hidden and sides random." });

  const longest = () => Math.max(0, ...videos().map((v) => v.duration || 0));
  const playAll = () => {
    for (const v of videos()) { v.currentTime = 0; v.muted = true; v.playbackRate = Number(speed.value); v.play().catch(() => {}); }
  };
  play.addEventListener("click", () => {
    if (videos().every((v) => v.paused)) for (const v of videos()) v.play().catch(() => {});
    else for (const v of videos()) v.pause();
  });
  seek.addEventListener("input", () => {
    const t = (Number(seek.value) / 1000) * longest();
    for (const v of videos()) v.currentTime = Math.min(t, v.duration || t);
  });
  speed.addEventListener("change", () => { for (const v of videos()) v.playbackRate = Number(speed.value); });
  const tick = () => {
    const [a, b] = videos();
    play.textContent = videos().every((v) => v.paused) ? "▶ play" : "❚❚ pause";
    if (longest() > 0) seek.value = String(Math.round((a.currentTime / longest()) * 1000));
    // Keep the two in step when they are as long (a loop restarts each on its own).
    if (!a.paused && !b.paused && a.duration && Math.abs(a.duration - b.duration) < 0.05
        && Math.abs(a.currentTime - b.currentTime) > 0.2) b.currentTime = a.currentTime;
  };

  const ready = () => videos().every((v) => v.readyState >= 2);
  const show = (name, state) => {
    const { video, message } = panes[name];
    message.textContent = "";
    video.dataset.key = state.key;
    const url = state.src || blobs.get(state.key) || "";
    if (url) { if (video.src !== url) video.src = url; }
    else { video.removeAttribute("src"); video.load(); model.send({ kind: "fetch", key: state.key }); }
    if (state.poster) video.poster = state.poster; else video.removeAttribute("poster");
  };
  const update = () => {
    const pair = model.get("pair");
    const p = model.get("progress") || {};
    title.textContent = model.get("title");
    sandbox.hidden = !(pair && pair.sandbox) && !p.sandbox;
    progress.textContent = `${p.judged || 0} of ${p.goal || 0} judged` +
      (p.skipped ? `, ${p.skipped} skipped` : "") + ` · ${p.remaining || 0} pairs never judged`;
    undoButton.disabled = !model.get("can_undo");
    waiting = false;
    root.dataset.round = String(p.round || 0); // moves on with every vote and undo, to the end
    const on = pair && pair.round;
    for (const b of buttons) b.disabled = !on;
    stage.hidden = !on;
    bar.hidden = !on;
    done.textContent = on ? (p.judged >= p.goal && p.goal ? "Goal reached: go on while pairs remain, or see the ranking." : "")
      : "Every pair has been judged: see the ranking (undo takes the last verdict back).";
    if (!on) { for (const v of videos()) v.pause(); return; }
    show("left", pair.left);
    show("right", pair.right);
    if (ready()) playAll();
  };
  for (const v of videos()) v.addEventListener("loadeddata", () => { if (ready()) playAll(); });

  const onMessage = (msg, buffers) => {
    if (msg.kind === "video" && buffers && buffers.length) {
      if (!blobs.has(msg.key)) blobs.set(msg.key, URL.createObjectURL(new Blob([buffers[0]], { type: msg.type || "video/mp4" })));
      for (const name of ["left", "right"]) {
        const { video } = panes[name];
        if (video.dataset.key === msg.key) video.src = blobs.get(msg.key);
      }
    } else if (msg.kind === "failed") { // the vote or undo was not saved: free the keys again
      waiting = false;
      done.textContent = msg.message;
    } else if (msg.kind === "error") {
      for (const name of ["left", "right"]) if (panes[name].video.dataset.key === msg.key) panes[name].message.textContent = msg.message;
    }
  };
  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = e.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    if (e.key === " " && tag === "BUTTON") return; // Space presses the focused button
    let handled = true;
    if (KEYS[e.key]) vote(KEYS[e.key]);
    else if (e.key === "u" || e.key === "Backspace") undo();
    else if (e.key === " ") play.click();
    else handled = false;
    if (handled) { e.preventDefault(); e.stopPropagation(); }
  };
  root.classList.add("kling-nb-review");
  root.setAttribute("tabindex", "0");
  root.setAttribute("role", "application");
  root.setAttribute("aria-label", "blind review: which of two videos is better");
  root.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab's own keys stay out
  root.addEventListener("keydown", onKey);
  root.append(el("div", { class: "kn-review-head" }, [title, sandbox, progress]), stage, bar, votes, done, help);
  model.on("change:pair", update);
  model.on("change:progress", update);
  model.on("change:can_undo", update);
  model.on("msg:custom", onMessage);
  update();
  const timer = setInterval(tick, 250);
  return () => {
    clearInterval(timer);
    root.removeEventListener("keydown", onKey);
    model.off("change:pair", update);
    model.off("change:progress", update);
    model.off("change:can_undo", update);
    model.off("msg:custom", onMessage);
    for (const url of blobs.values()) URL.revokeObjectURL(url);
  };
}

export default { render };

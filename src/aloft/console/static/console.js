// aloft console: live status, growing logs and copy buttons. Pages work without it; this only
// keeps them current without a reload.
"use strict";

const POLL_MS = 1000;

function setPhase(element, phase) {
  for (const name of [...element.classList]) {
    if (name.startsWith("phase-")) element.classList.remove(name);
  }
  element.classList.add("phase-" + phase);
}

function setBadge(badge, phase) {
  setPhase(badge, phase);
  badge.textContent = phase.replace(/_/g, " ");
}

// An execution's page polls its status document; nodes, badges and the phase change in place.
function followExecution(root) {
  let version = root.dataset.version;
  const url = root.dataset.statusUrl;
  async function poll() {
    let status;
    try {
      const sep = url.includes("?") ? "&" : "?";
      const answer = await fetch(url + sep + "version=" + encodeURIComponent(version),
                                 { headers: { Accept: "application/json" } });
      if (!answer.ok) throw new Error("HTTP " + answer.status);
      status = await answer.json();
    } catch (error) {
      setTimeout(poll, POLL_MS * 3);
      return;
    }
    if (!status.unchanged) {
      version = String(status.version);
      root.dataset.version = version;
      for (const badge of root.querySelectorAll("[data-live-phase]")) setBadge(badge, status.phase);
      for (const [key, node] of Object.entries(status.nodes)) {
        const selector = '[data-key="' + CSS.escape(key) + '"]';
        for (const group of root.querySelectorAll("svg g.node" + selector)) {
          setPhase(group, node.phase);
          const detail = group.querySelector(":scope > a > text.detail");
          if (detail) detail.textContent = node.detail;
        }
        for (const row of root.querySelectorAll("tr" + selector)) {
          const badge = row.querySelector("[data-live-node-phase] .badge");
          if (badge) setBadge(badge, node.phase);
          const detail = row.querySelector("[data-live-node-detail]");
          if (detail) detail.textContent = node.detail;
        }
      }
      const gates = (status.gates || []).join(",");
      const slot = document.getElementById("gates-slot");
      if (slot && slot.dataset.gates !== gates) await refreshGates(slot, gates);
      if (status.ended) {
        // Its error, outputs, timeline and the actions an ended execution has, as drawn now.
        if (await redraw(root)) return;
        root.dataset.ended = "true";
        for (const form of root.querySelectorAll("[data-while-running]")) form.remove();
        const note = root.querySelector("[data-live-note]");
        if (note) note.textContent = "ended: reload for its outputs and timeline";
        return;
      }
    }
    setTimeout(poll, POLL_MS);
  }
  if (root.dataset.ended !== "true") setTimeout(poll, POLL_MS);
}

// A gate that starts (or stops) waiting: its form comes from the page as the server draws it.
async function refreshGates(slot, gates) {
  try {
    const page = await drawnNow(slot.closest("[data-page-url]"));
    if (!page) return;
    const fresh = page.getElementById("gates-slot");
    if (fresh) {
      slot.replaceChildren(...fresh.childNodes);
      slot.dataset.gates = fresh.dataset.gates;
    } else {
      slot.dataset.gates = gates;
    }
  } catch (error) { /* the next poll tries again */ }
}

// A node's page, while the node may still change: the running attempt's log grows in place
// (what its worker has published since the page was drawn); when the attempt ends, or while
// the node has none running, the node's part of the page is drawn again from the server.
function followNode(root) {
  const pre = root.querySelector("#log-text");
  if (pre && pre.dataset.follow === "true") followLog(root, pre);
  else setTimeout(() => refreshNode(root), POLL_MS * 2);
}

function followLog(root, pre) {
  let offset = Number(pre.dataset.offset);
  let shown = offset > 0 ? pre.textContent : "";
  const lines = Number(pre.dataset.tailLines);
  const decoder = new TextDecoder();
  async function poll() {
    let phase = "running";
    try {
      const answer = await fetch(pre.dataset.logUrl + "&offset=" + offset);
      if (answer.ok) {
        phase = answer.headers.get("X-Aloft-Attempt-Phase") || phase;
        const bytes = new Uint8Array(await answer.arrayBuffer());
        if (bytes.length) {
          offset += bytes.length;
          pre.dataset.offset = String(offset);
          shown = lastLines(shown + decoder.decode(bytes, { stream: true }), lines);
          pre.textContent = shown;
          pre.scrollTop = pre.scrollHeight;
        }
      }
    } catch (error) { /* the next poll tries again */ }
    if (phase === "running") setTimeout(poll, POLL_MS);
    else refreshNode(root);
  }
  setTimeout(poll, POLL_MS);
}

function lastLines(text, count) {
  const ended = text.endsWith("\n");
  const kept = (ended ? text.slice(0, -1) : text).split("\n").slice(-count).join("\n");
  return ended ? kept + "\n" : kept;
}

async function refreshNode(root) {
  await redraw(root);
  if (root.dataset.live === "true") followNode(root);
}

// Draws `root` (an element with an id) again in place, as the server draws it now; false if
// the page could not be fetched (the caller tries again later, or says so).
async function redraw(root) {
  try {
    const page = await drawnNow(root);
    const fresh = page && page.getElementById(root.id);
    if (!fresh) return false;
    root.replaceChildren(...fresh.childNodes);
    Object.assign(root.dataset, fresh.dataset);
    return true;
  } catch (error) {
    return false;
  }
}

// The page `root` belongs to as the server draws it now (from its own URL, not the
// address bar's: that may be where a refused form was posted), or null.
async function drawnNow(root) {
  const answer = await fetch(root.dataset.pageUrl, { headers: { Accept: "text/html" } });
  if (!answer.ok) return null;
  return new DOMParser().parseFromString(await answer.text(), "text/html");
}

// Copy buttons, also those of parts of a page drawn again: one listener for the document.
async function copy(button) {
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = "copied";
  } catch (error) {
    const range = document.createRange();
    range.selectNodeContents(button.previousElementSibling);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = "selected";
  }
  setTimeout(() => { button.textContent = "copy"; }, 1500);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (button) copy(button);
});

document.addEventListener("DOMContentLoaded", () => {
  const execution = document.getElementById("execution");
  if (execution) followExecution(execution);
  const node = document.getElementById("node");
  if (node && node.dataset.live === "true") followNode(node);
  const invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
});

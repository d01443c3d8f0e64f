// aloft console: live status, log tails and copy buttons. Pages work without it; this only
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
    const answer = await fetch(window.location.href, { headers: { Accept: "text/html" } });
    if (!answer.ok) return;
    const page = new DOMParser().parseFromString(await answer.text(), "text/html");
    const fresh = page.getElementById("gates-slot");
    if (fresh) {
      slot.replaceChildren(...fresh.childNodes);
      slot.dataset.gates = fresh.dataset.gates;
    } else {
      slot.dataset.gates = gates;
    }
  } catch (error) { /* the next poll tries again */ }
}

// A node's page refreshes the tail of its log while the node runs.
function followLog(pre) {
  const url = pre.dataset.logUrl;
  async function poll() {
    try {
      const answer = await fetch(url);
      if (answer.ok) {
        const text = await answer.text();
        if (text) {  // stored once the attempt has ended: nothing more comes
          pre.textContent = text;
          pre.scrollTop = pre.scrollHeight;
          return;
        }
      }
    } catch (error) { /* try again */ }
    setTimeout(poll, POLL_MS * 2);
  }
  setTimeout(poll, POLL_MS);
}

function copyButtons() {
  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", async () => {
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
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const execution = document.getElementById("execution");
  if (execution) followExecution(execution);
  const log = document.getElementById("log-text");
  if (log && log.dataset.follow === "true") followLog(log);
  copyButtons();
  const invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
});

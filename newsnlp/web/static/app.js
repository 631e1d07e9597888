// newsnlp serve: small enhancements; every page works without this file.
"use strict";

// "more…" under a facet: ask /api/facets for the top 100 values (text only, never HTML).
function expandFacet(button) {
  const name = button.dataset.facet;
  const base = button.dataset.query;
  const url = "/api/facets?" + base + (base ? "&" : "") + "facets=" + encodeURIComponent(name) + "&facet_limit=100";
  button.disabled = true;
  fetch(url, {headers: {"Accept": "application/json"}})
    .then((r) => r.ok ? r.json() : Promise.reject(r.status))
    .then((data) => {
      const list = button.parentElement.querySelector("ul");
      list.replaceChildren();
      for (const item of data.facets[name] || []) {
        const params = new URLSearchParams(base);
        if (name === "year") { params.set("from", item.value); params.set("to", item.value); }
        else if (!params.getAll(name).includes(item.value)) { params.append(name, item.value); }
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "?" + params.toString();
        a.dataset.value = item.value;
        a.textContent = item.value;
        const count = document.createElement("span");
        count.className = "count";
        count.textContent = String(item.count);
        li.append(a, " ", count);
        list.append(li);
      }
      button.remove();
    })
    .catch(() => { button.disabled = false; button.textContent = "more… (failed, retry)"; });
}

// The legend's buttons switch the marking of one kind on and off.
function toggleKind(button) {
  const body = document.getElementById("body");
  const on = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(on));
  body.classList.toggle("hide-" + button.dataset.kind, !on);
}

document.addEventListener("click", (event) => {
  const more = event.target.closest("button.more");
  if (more) { expandFacet(more); return; }
  const kind = event.target.closest("#legend button[data-kind]");
  if (kind) { toggleKind(kind); }
});

// "/" focuses the query box.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  if (event.key === "/" && box && document.activeElement !== box && !/input|textarea|select/i.test(document.activeElement.tagName)) {
    event.preventDefault();
    box.focus();
  }
});

(function () {
  "use strict";
  var doc = document;
  var data = JSON.parse(doc.getElementById("report-data").textContent);
  var svg = doc.getElementById("diagram");
  var status = doc.getElementById("diagram-status");
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); };

  // Colour scheme: follows the system unless the reader picks one.
  var root = doc.documentElement;
  var toggle = doc.getElementById("theme-toggle");
  function dark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  try { var saved = window.localStorage.getItem("agentpath-theme"); if (saved) root.setAttribute("data-theme", saved); } catch (e) { /* storage may be unavailable */ }
  toggle.addEventListener("click", function () {
    var next = dark() ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { window.localStorage.setItem("agentpath-theme", next); } catch (e) { /* ignore */ }
  });

  // Diagram highlighting: the nodes and edges of one or more paths stay, the rest dims.
  var lit = [];
  var pressed = null;
  function clearHighlight() {
    lit.forEach(function (el) { el.classList.remove("hl"); });
    lit = [];
    if (svg) svg.classList.remove("dim");
    if (pressed) { pressed.setAttribute("aria-pressed", "false"); pressed = null; }
    $$("details.path.selected").forEach(function (d) { d.classList.remove("selected"); });
    if (status) status.textContent = "";
  }
  // sets: [nodes, edges] pairs, one per path (data.paths) or per MAESTRO layer (data.layers).
  function highlight(sets, label, button) {
    clearHighlight();
    if (!svg) return;
    var seen = {};
    sets.forEach(function (p) {
      if (!p) return;
      p[0].forEach(function (n) { if (!seen["n" + n]) { seen["n" + n] = 1; var el = doc.getElementById("n" + n); if (el) lit.push(el); } });
      p[1].forEach(function (e) { if (!seen["e" + e]) { seen["e" + e] = 1; var el = doc.getElementById("e" + e); if (el) lit.push(el); } });
    });
    lit.forEach(function (el) { el.classList.add("hl"); });
    svg.classList.add("dim");
    if (button) { button.setAttribute("aria-pressed", "true"); pressed = button; }
    if (status) status.textContent = label + " — press Escape or “Clear highlight” to show everything";
  }
  doc.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button") : null;
    if (!b) return;
    if (b.classList.contains("show-btn")) {
      if (b.getAttribute("aria-pressed") === "true") { clearHighlight(); return; }
      var d = b.closest("details");
      var i = parseInt(b.getAttribute("data-path"), 10);
      var rule = d.querySelector(".rule").textContent, title = d.querySelector(".ptitle").textContent;
      highlight([data.paths[i]], "Path " + rule + ": " + title, b);
      d.classList.add("selected");
      doc.getElementById("diagram-section").scrollIntoView({ behavior: "smooth", block: "start" });
    } else if (b.hasAttribute("data-layer")) {
      var layer = b.getAttribute("data-layer");
      if (data.layers) {
        highlight([data.layers[layer]], "MAESTRO " + layer + ": " + b.getAttribute("data-count") + " path(s)", b);
      } else {
        var list = (b.getAttribute("data-paths") || "").split(" ").filter(Boolean).map(Number);
        highlight(list.map(function (i) { return data.paths[i]; }), "MAESTRO " + layer + ": " + list.length + " path(s)", b);
      }
      doc.getElementById("diagram-section").scrollIntoView({ behavior: "smooth", block: "start" });
    } else if (b.id === "clear-highlight") {
      clearHighlight();
    } else if (b.id === "expand-all" || b.id === "collapse-all") {
      var open = b.id === "expand-all";
      $$("details.path").forEach(function (d) { if (!d.hidden) d.open = open; });
    }
  });
  doc.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && lit.length) clearHighlight(); });

  // Path filter: free text over rule, title, elements; and status. A waived path counts as
  // waived, not under its status (as in the summary table). It covers the paths shown in full
  // and the rows of the path table (a large model's other paths).
  var filter = doc.getElementById("path-filter"), statusSel = doc.getElementById("path-status"), countEl = doc.getElementById("path-count");
  var paths = $$("details.path");
  var items = paths.concat($$("tr.prow"));
  var search = null;
  function applyFilter() {
    var q = filter ? filter.value.trim().toLowerCase() : "", st = statusSel ? statusSel.value : "";
    var shown = 0;
    if (q && !search) search = items.map(function (d) { return d.getAttribute("data-search") || d.textContent.toLowerCase(); });
    items.forEach(function (d, i) {
      var ok = (!q || search[i].indexOf(q) >= 0 || d.id === q) && (!st || (st === "waived" ? d.hasAttribute("data-waived") : !d.hasAttribute("data-waived") && d.getAttribute("data-status") === st));
      if (d.hidden !== !ok) d.hidden = !ok;
      if (ok) shown++;
    });
    $$("section.sev-group").forEach(function (s) { s.hidden = (q !== "" || st !== "") && !s.querySelector("details.path:not([hidden])"); });
    if (countEl) countEl.textContent = shown + " of " + items.length + " shown";
  }
  var timer = 0;
  if (filter) filter.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilter, 120); });
  if (statusSel) statusSel.addEventListener("change", applyFilter);
  if (countEl) countEl.textContent = items.length + " path groups";

  // Sortable, filterable tables, no library.
  $$("table[data-sortable]").forEach(function (table) {
    var heads = $$("thead th", table);
    heads.forEach(function (th, col) {
      var b = doc.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      b.setAttribute("aria-label", "Sort by " + th.textContent);
      th.textContent = "";
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var body = table.tBodies[0];
        // Keys read once per row (tables can have thousands of rows); ties keep their order.
        var rows = Array.prototype.map.call(body.rows, function (r, i) {
          var c = r.cells[col];
          return { row: r, i: i, key: c ? (c.getAttribute("data-sort") || c.textContent.trim()) : "" };
        });
        var numeric = rows.every(function (x) { return x.key === "" || !isNaN(Number(x.key)); });
        var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
        rows.sort(function (a, b2) {
          var c = numeric ? (Number(a.key) - Number(b2.key)) : collator.compare(a.key, b2.key);
          return (dir === "ascending" ? c : -c) || a.i - b2.i;
        });
        var frag = doc.createDocumentFragment();
        rows.forEach(function (x) { frag.appendChild(x.row); });
        body.appendChild(frag);
      });
    });
  });
  $$("input.table-filter").forEach(function (input) {
    var table = doc.getElementById(input.getAttribute("aria-controls"));
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) { var h = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0; if (r.hidden !== h) r.hidden = h; });
    });
  });

  // Framework item titles, added as tooltips when a path is first opened.
  function addTitles(d) {
    if (d.getAttribute("data-titled")) return;
    d.setAttribute("data-titled", "1");
    $$(".fw", d).forEach(function (p) {
      var cat = p.querySelector(".fw-cat").textContent;
      $$(".chip", p).forEach(function (c) { var t = data.titles[cat + " " + c.textContent]; if (t) c.title = t; });
    });
  }
  paths.forEach(function (d) {
    if (d.open) addTitles(d);
    d.addEventListener("toggle", function () { if (d.open) addTitles(d); });
  });

  // Links to a path open it; printing opens every path.
  function openHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && doc.getElementById(id);
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  window.addEventListener("hashchange", openHash);
  openHash();
  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = paths.map(function (d) { return d.open; });
    paths.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { paths.forEach(function (d, i) { d.open = wasOpen[i]; }); });
  root.classList.add("js");
})();

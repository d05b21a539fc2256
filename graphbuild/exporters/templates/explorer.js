/* graphbuild explorer: vis-network with precomputed positions, physics off.
 * Every document-derived string arrives as JSON data and is written with textContent or
 * drawn on the canvas; nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var N = DATA.nodes, E = DATA.edges, P = DATA.paras, T = DATA.types;
    var EDGE_COLOR = "rgba(120,120,120,0.45)";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(x) {
    if (typeof x !== "number") return String(x);
    if (Number.isInteger(x)) return x.toLocaleString("en");
    return x < 0.01 ? x.toExponential(2) : x.toFixed(3);
  }

  // --- adjacency (node -> [edge index]) -------------------------------------------------
  var adj = N.map(function () { return []; });
  E.forEach(function (e, i) { adj[e.s].push(i); adj[e.t].push(i); });

  // --- vis data sets --------------------------------------------------------------------
  function nodeColor(n) { return T[n.type].color; }
  function nodeItem(n, i) {
    return {
      id: i, label: n.label, x: n.x, y: n.y, value: n.value,
      color: { background: nodeColor(n), border: "rgba(0,0,0,0.35)",
               highlight: { background: nodeColor(n), border: "#000" } },
      font: { color: "#222" },
      // a string title is shown by vis-network with innerText: text, never markup
      title: n.label + " (" + T[n.type].name + ")\n" + DATA.sizeBy + ": " + fmt(n.value) +
             "\nmentions: " + fmt(n.mentions) + " · documents: " + fmt(n.documents)
    };
  }
  function edgeItem(e, i) {
    return { id: i, from: e.s, to: e.t, value: e.w, color: { color: EDGE_COLOR, highlight: "#333" },
             title: N[e.s].label + " — " + N[e.t].label + "\nweight " + fmt(e.w) +
                    " (paragraphs), documents " + fmt(e.d) };
  }
  var nodes = new vis.DataSet(N.map(nodeItem));
  var edges = new vis.DataSet(E.map(edgeItem));
  var big = N.length > 1000;
  var options = {
    physics: false,
    layout: { improvedLayout: false, randomSeed: 42 },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false },
    nodes: { shape: "dot", borderWidth: 1,
             scaling: { min: DATA.sizeRange[0], max: DATA.sizeRange[1], label: { enabled: true, min: 11, max: 20, drawThreshold: 7, maxVisible: 28 } },
             font: { size: 13, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: false, scaling: { min: 1, max: 8 }, selectionWidth: 2 }
  };
  var container = $("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // --- header, notice, legend and filters ------------------------------------------------
  $("title").textContent = DATA.title;
  var total = DATA.total, shown = DATA.shown;
  if (shown.nodes < total.nodes) {
    var notice = $("notice");
    notice.textContent = "Showing the " + fmt(shown.nodes) + " entities with the highest " +
      DATA.sizeBy + " out of " + fmt(total.nodes) + " (" + fmt(shown.edges) + " of " +
      fmt(total.edges) + " edges). Left out: " + fmt(total.nodes - shown.nodes) +
      " entities and " + fmt(total.edges - shown.edges) + " edges. Rebuild with a larger " +
      "--max-nodes, or --full-graph, to include them.";
    notice.hidden = false;
  }
  $("size-note").textContent = "node size: " + DATA.sizeBy + " · edge width: weight";
  var hiddenTypes = {};
  T.forEach(function (t, i) {
    var lab = el("label"), box = el("input"), sw = el("span", null, "swatch");
    box.type = "checkbox"; box.checked = true; box.dataset.type = t.name;
    box.addEventListener("change", function () { hiddenTypes[i] = !box.checked; applyFilters(); });
    sw.style.background = t.color;
    lab.appendChild(box); lab.appendChild(sw); lab.appendChild(document.createTextNode(t.name + " (" + fmt(t.count) + ")"));
    $("types").appendChild(lab);
  });
  var slider = $("min-weight");
  slider.max = String(Math.max(1, Math.ceil(DATA.maxWeight)));
  if (DATA.maxWeight <= 1) slider.disabled = true;
  slider.addEventListener("input", function () { $("min-weight-value").textContent = slider.value; applyFilters(); });

  var nodeHidden = N.map(function () { return false; });
  var edgeHidden = E.map(function () { return false; });
  function applyFilters() {
    var minW = Number(slider.value), nu = [], eu = [];
    N.forEach(function (n, i) {
      var h = !!hiddenTypes[n.type];
      if (h !== nodeHidden[i]) { nodeHidden[i] = h; nu.push({ id: i, hidden: h }); }
    });
    E.forEach(function (e, i) {
      var h = e.w < minW || nodeHidden[e.s] || nodeHidden[e.t];
      if (h !== edgeHidden[i]) { edgeHidden[i] = h; eu.push({ id: i, hidden: h }); }
    });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    if (focused !== null && nodeHidden[focused]) clearFocus();
    updateStatus();
  }
  function visibleCounts() {
    return { nodes: nodeHidden.filter(function (h) { return !h; }).length,
             edges: edgeHidden.filter(function (h) { return !h; }).length };
  }
  function updateStatus() {
    var c = visibleCounts();
    $("status").textContent = fmt(c.nodes) + " entities · " + fmt(c.edges) + " links shown";
  }

  // --- focus: dim everything but the neighbourhood ------------------------------------------
  // Dimming by updating every node's and edge's colour in the DataSets costs seconds at 10k
  // nodes (vis re-parses each item's options). Instead, after vis has drawn the frame, veil
  // it with translucent white and draw the neighbourhood again on top: O(degree) per frame.
  var focused = null, keepNodes = [];
  function focusNode(i) {
    focused = i;
    var seen = {}; seen[i] = true; keepNodes = [];
    adj[i].forEach(function (k) {
      var o = E[k].s === i ? E[k].t : E[k].s;
      if (!seen[o]) { seen[o] = true; keepNodes.push(o); }
    });
    keepNodes.push(i);  // drawn last: on top
    network.redraw();
  }
  function clearFocus() {
    if (focused === null) return;
    focused = null; keepNodes = [];
    network.redraw();
  }
  function focusedSet() { return focused === null ? null : keepNodes.slice(); }
  network.on("afterDrawing", function (ctx) {
    if (focused === null) return;
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(tl.x, tl.y, br.x - tl.x, br.y - tl.y);
    ctx.restore();
    var b = network.body;
    adj[focused].forEach(function (k) { if (!edgeHidden[k] && b.edges[k]) b.edges[k].draw(ctx); });
    var labels = [];  // vis draws dot labels after all shapes: do the same
    keepNodes.forEach(function (j) {
      if (nodeHidden[j] || !b.nodes[j]) return;
      var r = b.nodes[j].draw(ctx);
      if (r && r.drawExternalLabel) labels.push(r.drawExternalLabel);
    });
    labels.forEach(function (f) { f(); });
  });

  // --- evidence panel -----------------------------------------------------------------
  var body = $("panel-body");
  function highlighted(par, a, b) {
    // paragraph text with the mentions of the two entities marked (offsets are computed in
    // Python from the mention table; text nodes only, so the text cannot become markup)
    var box = el("div", null, "para"), pos = 0, text = par.text;
    box.appendChild(el("span", par.doc + " ¶" + par.p + (par.sec && par.sec !== "body" ? " (" + par.sec + ")" : ""), "ref"));
    par.spans.forEach(function (sp) {
      var s = sp[0], t = sp[1], who = sp[2];
      if (s < pos || t <= s) return;  // overlapping span: keep the first
      var cls = who === a ? "a" : who === b ? "b" : null;
      if (cls === null) return;
      box.appendChild(document.createTextNode(text.slice(pos, s)));
      box.appendChild(el("mark", text.slice(s, t), cls));
      pos = t;
    });
    box.appendChild(document.createTextNode(text.slice(pos)));
    return box;
  }
  function showEdge(k, first) {
    // "first": the node the user came from (its panel's link list) is named first
    var e = E[k], sa = first === e.t ? e.t : e.s, sb = sa === e.s ? e.t : e.s, a = N[sa], b = N[sb];
    body.replaceChildren();
    var h = el("h2"); h.appendChild(el("mark", a.label, "a")); h.appendChild(document.createTextNode(" — ")); h.appendChild(el("mark", b.label, "b"));
    body.appendChild(h);
    body.appendChild(el("div", "weight " + fmt(e.w) + ": together in " + fmt(e.evn || e.w) + " paragraph(s) of " + fmt(e.d) + " document(s)", "meta"));
    body.appendChild(el("h3", "Evidence"));
    if (!e.ev.length) body.appendChild(el("p", "No paragraph text embedded for this link (see edges.csv).", "hint"));
    e.ev.forEach(function (pi) { body.appendChild(highlighted(P[pi], sa, sb)); });
    if (e.evn > e.ev.length) body.appendChild(el("p", "Showing " + e.ev.length + " of " + fmt(e.evn) + " paragraphs; all are listed in edges.csv.", "hint"));
    body.dataset.edge = String(k); delete body.dataset.node;
  }
  function showNode(i) {
    var n = N[i];
    body.replaceChildren();
    body.appendChild(el("h2", n.label));
    var t = el("div", null, "meta"), sw = el("span", null, "swatch"); sw.style.background = T[n.type].color;
    t.appendChild(sw); t.appendChild(document.createTextNode(T[n.type].name + " · id " + n.id + " · " + fmt(n.mentions) + " mentions in " + fmt(n.documents) + " document(s) · " + DATA.sizeBy + " " + fmt(n.value)));
    body.appendChild(t);
    var links = adj[i].slice().sort(function (x, y) { return E[y].w - E[x].w || E[y].d - E[x].d; });
    body.appendChild(el("h3", "Strongest links (" + fmt(links.length) + ")"));
    var ol = el("ol");
    links.slice(0, 15).forEach(function (k) {
      var other = E[k].s === i ? E[k].t : E[k].s, li = el("li"), btn = el("button", N[other].label, "link");
      btn.type = "button";
      btn.addEventListener("click", function () { network.selectEdges([k]); showEdge(k, i); });
      li.appendChild(btn); li.appendChild(document.createTextNode(" — weight " + fmt(E[k].w)));
      ol.appendChild(li);
    });
    body.appendChild(ol);
    var docs = DATA.nodeDocs[i] || [0, []];
    body.appendChild(el("h3", "Documents (" + fmt(docs[0]) + ")"));
    var ul = el("ul");
    docs[1].forEach(function (d) { ul.appendChild(el("li", d[0] + " — " + fmt(d[1]) + " mention(s)")); });
    body.appendChild(ul);
    if (docs[0] > docs[1].length) body.appendChild(el("p", "… and " + fmt(docs[0] - docs[1].length) + " more (mentions.csv).", "hint"));
    body.dataset.node = String(i); delete body.dataset.edge;
  }

  network.on("click", function (params) {
    if (params.nodes.length) { focusNode(params.nodes[0]); showNode(params.nodes[0]); }
    else if (params.edges.length) { clearFocus(); showEdge(params.edges[0]); }
    else { clearFocus(); }
  });

  // --- search ----------------------------------------------------------------------------
  var labels = $("labels"), byLabel = {};
  N.forEach(function (n, i) {
    var key = n.label.toLowerCase();
    if (!(key in byLabel)) byLabel[key] = i;
    var o = document.createElement("option"); o.value = n.label; labels.appendChild(o);
  });
  function findNode(q) {
    q = q.trim().toLowerCase();
    if (!q) return -1;
    if (q in byLabel) return byLabel[q];
    // nodes are ranked by size, so the first partial match is the most central one
    for (var i = 0; i < N.length; i++) if (N[i].label.toLowerCase().indexOf(q) === 0) return i;
    for (i = 0; i < N.length; i++) if (N[i].label.toLowerCase().indexOf(q) >= 0) return i;
    return -1;
  }
  function selectNode(i) {
    if (nodeHidden[i]) {  // a filtered-out type: bring it back rather than fail silently
      var box = document.querySelector('#types input[data-type="' + CSS.escape(T[N[i].type].name) + '"]');
      if (box) { box.checked = true; hiddenTypes[N[i].type] = false; applyFilters(); }
    }
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    focusNode(i); showNode(i);
  }
  var search = $("search");
  function runSearch() {
    var i = findNode(search.value);
    search.setCustomValidity(i < 0 && search.value.trim() ? "no such entity" : "");
    search.classList.toggle("miss", i < 0);
    if (i >= 0) selectNode(i);
    return i;
  }
  // "change" also fires when the box loses focus; do not re-run a search already done
  // with Enter, or clicking in the panel afterwards would jump back to the searched node
  var lastQuery = null;
  search.addEventListener("change", function () { if (search.value !== lastQuery) { lastQuery = search.value; runSearch(); } });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); lastQuery = search.value; runSearch(); } });

  // --- PNG export of the current view ------------------------------------------------------
  $("export-png").addEventListener("click", function () {
    var src = container.querySelector("canvas");
    var c = document.createElement("canvas");
    c.width = src.width; c.height = src.height;
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, c.width, c.height);  // canvas is transparent
    ctx.drawImage(src, 0, 0);
    var a = document.createElement("a");
    a.download = (DATA.title || "graph").replace(/[^\w.-]+/g, "_") + ".png";
    a.href = c.toDataURL("image/png");
    document.body.appendChild(a); a.click(); a.remove();
  });

  updateStatus();
  // hooks for tests and scripting: counts of what vis-network actually draws
  window.graphbuild = {
    network: network, nodes: nodes, edges: edges, data: DATA, findNode: findNode,
    selectNode: selectNode, showEdge: showEdge, visibleCounts: visibleCounts,
    focused: focusedSet,
    rendered: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    }
  };
  network.once("afterDrawing", function () {
    window.graphbuild.readyAt = performance.now();
    document.body.dataset.ready = "1";
  });
})();

/* graphbuild explorer, vis-network view (up to a few thousand nodes): precomputed
 * positions, physics off. Implements the view interface used by explorer-ui.js. */
window.graphbuildView = function (container, DATA, util) {
  "use strict";
  var N = DATA.nodes, E = DATA.edges, T = DATA.types, fmt = util.fmt;
  var EDGE_COLOR = "rgba(120,120,120,0.45)";
  var nodes = new vis.DataSet(N.map(function (n, i) {
    var c = T[n.type].color;
    // no vis label: the page draws every label itself (see drawLabels below)
    return {
      id: i, x: n.x, y: n.y, value: n.value,
      color: { background: c, border: "rgba(0,0,0,0.35)", highlight: { background: c, border: "#000" } },
      // the tooltip text (shown by the page's own tooltip, below, as text)
      tip: util.nodeTitle(i)
    };
  }));
  var edges = new vis.DataSet(E.map(function (e, i) {
    return { id: i, from: e.s, to: e.t, value: e.w, color: { color: EDGE_COLOR, highlight: "#333" },
             tip: util.edgeTitle(i) };
  }));
  var big = N.length > 1000, resized = false;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: false,
    layout: { improvedLayout: false, randomSeed: 42 },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false },
    nodes: { shape: "dot", borderWidth: 1,
             scaling: { min: DATA.sizeRange[0], max: DATA.sizeRange[1], label: { enabled: false } } },
    edges: { smooth: false, scaling: { min: 1, max: 8 }, selectionWidth: 2 }
  });

  // Focus. Dimming by updating every node's and edge's colour in the DataSets costs seconds
  // at 10k nodes (vis re-parses each item's options). Instead, after vis has drawn a frame,
  // veil it with translucent white and draw the neighbourhood again on top: O(degree).
  var focus = null;
  // Labels. vis scales label text with the zoom and drops the small ones, so a zoomed-out
  // view named ~20 nodes and a zoomed-in one none. The page draws the labels itself, at a
  // constant 12-14 px on screen whatever the zoom: the visible nodes in order of importance
  // (N is ranked by size; under focus, the focused node and then its neighbours by tie
  // strength), each one skipped when it would overlap a label already placed, at most
  // MAX_LABELS (MAX_FOCUS_LABELS around a focused node).
  var MAX_LABELS = 150, MAX_FOCUS_LABELS = 80, drawn = [];
  function labelOrder() {
    if (focus === null) return N.map(function (_, i) { return i; });
    var nb = focus.edges.slice().sort(function (x, y) { return E[y].w - E[x].w || x - y; })
      .map(function (k) { return E[k].s === focus.node ? E[k].t : E[k].s; });
    return [focus.node].concat(nb.slice(0, MAX_FOCUS_LABELS));
  }
  function drawLabels(ctx) {
    var scale = network.getScale(), b = network.body, placed = [];
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    var cap = focus === null ? MAX_LABELS : MAX_FOCUS_LABELS + 1;
    drawn = [];
    ctx.save();
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.lineWidth = 3 / scale; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = "#222";
    var order = labelOrder();
    for (var o = 0; o < order.length && drawn.length < cap; o++) {
      var i = order[o], node = b.nodes[i];
      if (!node || node.options.hidden) continue;
      var r = node.shape && node.shape.radius ? node.shape.radius : 6;
      if (node.x + r < tl.x || node.x - r > br.x || node.y + r < tl.y || node.y - r > br.y) continue;
      var px = (o < 10 && focus === null) || o === 0 && focus !== null ? 14 : 12;
      ctx.font = (px / scale) + "px system-ui, sans-serif";
      var w = ctx.measureText(N[i].label).width, h = (px + 2) / scale;
      var x = node.x - w / 2, y = node.y + r + 2 / scale;
      var clash = false;
      for (var p = 0; p < placed.length && !clash; p++) {
        var q = placed[p];
        clash = x < q[2] && q[0] < x + w && y < q[3] && q[1] < y + h;
      }
      if (clash) continue;
      placed.push([x, y, x + w, y + h]);
      ctx.strokeText(N[i].label, node.x, y);
      ctx.fillText(N[i].label, node.x, y);
      var a = network.canvasToDOM({ x: x, y: y }), z = network.canvasToDOM({ x: x + w, y: y + h });
      drawn.push({ node: i, text: N[i].label, x0: a.x, y0: a.y, x1: z.x, y1: z.y });
    }
    ctx.restore();
  }
  network.on("afterDrawing", function (ctx) {
    if (focus === null) { drawLabels(ctx); return; }
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(tl.x, tl.y, br.x - tl.x, br.y - tl.y);
    ctx.restore();
    var b = network.body;
    focus.edges.forEach(function (k) { if (b.edges[k] && !b.edges[k].options.hidden) b.edges[k].draw(ctx); });
    focus.nodes.forEach(function (j) {
      if (b.nodes[j] && !b.nodes[j].options.hidden) b.nodes[j].draw(ctx);
    });
    drawLabels(ctx);
  });

  // The tooltip: the page's own, not vis-network's title popup, which picks the edge
  // under the pointer by a looser overlap test than hover and click do (on the seeds it
  // named "EU — Government of Venezuela" over the Venezuela — Bogota edge just clicked).
  // The object is found with getNodeAt / getEdgeAt, as a click finds it; shown as text.
  var tip = document.createElement("div"), tipTimer = null, tipAt = null;
  tip.className = "vis-tooltip";
  container.appendChild(tip);
  function hideTip() { tip.style.visibility = "hidden"; tipAt = null; }
  function showTip(x, y) {
    var at = { x: x, y: y }, n = network.getNodeAt(at), text = null;
    if (n !== undefined) text = nodes.get(n).tip;
    else {
      var k = network.getEdgeAt(at);
      if (k !== undefined && !edges.get(k).hidden) text = edges.get(k).tip;
    }
    if (text === null || text === undefined) { hideTip(); return; }
    tip.textContent = text;
    tip.style.left = (x + 12) + "px"; tip.style.top = (y + 12) + "px";
    tip.style.visibility = "visible"; tipAt = at;
  }
  container.addEventListener("mousemove", function (ev) {
    var r = container.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    if (tipAt && Math.abs(tipAt.x - x) + Math.abs(tipAt.y - y) > 3) hideTip();
    clearTimeout(tipTimer);
    if (ev.buttons) return;                       // dragging: no tooltip
    tipTimer = setTimeout(function () { showTip(x, y); }, 150);
  });
  container.addEventListener("mouseleave", function () { clearTimeout(tipTimer); hideTip(); });
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  return {
    name: "vis", network: network, nodes: nodes, edges: edges,
    onClick: function (cb) {
      network.on("click", function (p) {
        if (p.nodes.length) cb({ node: p.nodes[0] });
        else if (p.edges.length) cb({ edge: p.edges[0] });
        else cb({});
      });
    },
    onReady: function (cb) { network.once("afterDrawing", cb); },
    setHidden: function (nodeChanges, edgeChanges) {
      if (nodeChanges.length) nodes.update(nodeChanges.map(function (c) { return { id: c[0], hidden: c[1] }; }));
      if (edgeChanges.length) edges.update(edgeChanges.map(function (c) { return { id: c[0], hidden: c[1] }; }));
    },
    setFocus: function (f) { focus = f; network.redraw(); },
    // sizes: null restores the built measure
    setValues: function (v) {
      if (v === null && !resized) return;
      resized = v !== null;
      nodes.update(N.map(function (n, i) { return { id: i, value: v === null ? n.value : v[i] }; }));
    },
    values: function () { return N.map(function (_, i) { return nodes.get(i).value; }); },
    // edge widths: null restores the built weights
    setWidths: function (w) {
      edges.update(E.map(function (e, k) {
        return { id: k, value: w === null ? e.w : Math.max(w[k], 0),
                 tip: w === null ? util.edgeTitle(k) : util.edgeTitle(k, w[k]) };
      }));
    },
    selectNode: function (i) { network.selectNodes([i]); },
    selectEdge: function (k) { network.selectEdges([k]); },
    centre: function (i) {
      // big graphs jump instead of gliding: each animation frame redraws every edge
      network.focus(i, { scale: Math.max(network.getScale(), 1.2),
                         animation: big ? false : { duration: 300, easingFunction: "easeInOutQuad" } });
    },
    canvases: function () { return [container.querySelector("canvas")]; },
    // draw the next frame at ``scale`` x the screen's pixel density, run fn, restore
    hiRes: function (scale, fn) {
      var c = network.canvas, el = c.frame.canvas, old = c.pixelRatio;
      var w = el.clientWidth, h = el.clientHeight;
      c.pixelRatio = scale;
      el.width = Math.round(w * scale); el.height = Math.round(h * scale);
      network.renderer._redraw();
      try { return fn(); } finally {
        c.pixelRatio = old;
        el.width = Math.round(w * old); el.height = Math.round(h * old);
        network.renderer._redraw();
      }
    },
    // every node's centre and radius in page pixels of the graph box
    screenPositions: function () {
      var scale = network.getScale(), b = network.body;
      return N.map(function (_, i) {
        var node = b.nodes[i], p = network.canvasToDOM({ x: node.x, y: node.y });
        return { x: p.x, y: p.y, r: (node.shape && node.shape.radius ? node.shape.radius : 6) * scale };
      });
    },
    // the labels of the last frame: text and box in page pixels (tests, scripting)
    labels: function () { return drawn.slice(); },
    rendered: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    }
  };
};

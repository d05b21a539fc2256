/* graphbuild explorer, vis-network view (up to a few thousand nodes): precomputed
 * positions, physics off. Implements the view interface used by explorer-ui.js. */
window.graphbuildView = function (container, DATA, util) {
  "use strict";
  var N = DATA.nodes, E = DATA.edges, T = DATA.types, fmt = util.fmt;
  var EDGE_COLOR = "rgba(120,120,120,0.45)";
  var nodes = new vis.DataSet(N.map(function (n, i) {
    var c = T[n.type].color;
    return {
      id: i, label: n.label, x: n.x, y: n.y, value: n.value,
      color: { background: c, border: "rgba(0,0,0,0.35)", highlight: { background: c, border: "#000" } },
      // a string title is shown by vis-network with innerText: text, never markup
      title: util.nodeTitle(i)
    };
  }));
  var edges = new vis.DataSet(E.map(function (e, i) {
    return { id: i, from: e.s, to: e.t, value: e.w, color: { color: EDGE_COLOR, highlight: "#333" },
             title: util.edgeTitle(i) };
  }));
  var big = N.length > 1000;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: false,
    layout: { improvedLayout: false, randomSeed: 42 },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false },
    nodes: { shape: "dot", borderWidth: 1,
             scaling: { min: DATA.sizeRange[0], max: DATA.sizeRange[1],
                        label: { enabled: true, min: 12, max: 30, drawThreshold: 12, maxVisible: 30 } },  // = LABEL_THRESHOLD
             font: { size: 13, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: false, scaling: { min: 1, max: 8 }, selectionWidth: 2 }
  });

  // Focus. Dimming by updating every node's and edge's colour in the DataSets costs seconds
  // at 10k nodes (vis re-parses each item's options). Instead, after vis has drawn a frame,
  // veil it with translucent white and draw the neighbourhood again on top: O(degree).
  var focus = null;
  // Overview labels: vis scales label text with the zoom and (as set here) drops labels under 12 px, so a
  // zoomed-out view of hundreds of nodes shows no names at all. Name the most central
  // entities at a constant 12 px instead, wherever vis itself would not (greedy: a label
  // that would overlap one already placed is skipped).
  var LABEL_THRESHOLD = 12, TOP_LABELS = 30;
  function overviewLabels(ctx) {
    var scale = network.getScale(), placed = [], b = network.body, shown = 0;
    ctx.save();
    ctx.font = (12 / scale) + "px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.lineWidth = 3 / scale; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = "#222";
    for (var i = 0; i < N.length && shown < TOP_LABELS; i++) {  // N is ranked by size
      var node = b.nodes[i];
      if (!node || node.options.hidden) continue;
      shown++;
      // vis draws (fading in) every label whose on-screen size reaches threshold - 1
      var font = node.labelModule && node.labelModule.fontOptions ? node.labelModule.fontOptions.size : 0;
      if (font * scale >= LABEL_THRESHOLD - 1) continue;
      var w = ctx.measureText(N[i].label).width, h = 14 / scale;
      var x = node.x - w / 2, y = node.y + (node.shape.radius || 6) + 2 / scale;
      var clash = placed.some(function (r) { return x < r[2] && r[0] < x + w && y < r[3] && r[1] < y + h; });
      if (clash) continue;
      placed.push([x, y, x + w, y + h]);
      ctx.strokeText(N[i].label, node.x, y);
      ctx.fillText(N[i].label, node.x, y);
    }
    ctx.restore();
  }
  network.on("afterDrawing", function (ctx) {
    if (focus === null) { overviewLabels(ctx); return; }
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(tl.x, tl.y, br.x - tl.x, br.y - tl.y);
    ctx.restore();
    var b = network.body, labels = [];
    focus.edges.forEach(function (k) { if (b.edges[k] && !b.edges[k].options.hidden) b.edges[k].draw(ctx); });
    focus.nodes.forEach(function (j) {  // vis draws dot labels after all shapes: so do we
      if (!b.nodes[j] || b.nodes[j].options.hidden) return;
      var r = b.nodes[j].draw(ctx);
      if (r && r.drawExternalLabel) labels.push(r.drawExternalLabel);
    });
    labels.forEach(function (f) { f(); });
  });

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
    selectNode: function (i) { network.selectNodes([i]); },
    selectEdge: function (k) { network.selectEdges([k]); },
    centre: function (i) {
      // big graphs jump instead of gliding: each animation frame redraws every edge
      network.focus(i, { scale: Math.max(network.getScale(), 1.2),
                         animation: big ? false : { duration: 300, easingFunction: "easeInOutQuad" } });
    },
    canvases: function () { return [container.querySelector("canvas")]; },
    rendered: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    }
  };
};

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
                        label: { enabled: true, min: 11, max: 20, drawThreshold: 7, maxVisible: 28 } },
             font: { size: 13, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: false, scaling: { min: 1, max: 8 }, selectionWidth: 2 }
  });

  // Focus. Dimming by updating every node's and edge's colour in the DataSets costs seconds
  // at 10k nodes (vis re-parses each item's options). Instead, after vis has drawn a frame,
  // veil it with translucent white and draw the neighbourhood again on top: O(degree).
  var focus = null;
  network.on("afterDrawing", function (ctx) {
    if (focus === null) return;
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

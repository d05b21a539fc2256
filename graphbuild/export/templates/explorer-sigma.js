/* graphbuild explorer, sigma.js + graphology view (WebGL) for very large pages, where
 * vis-network's canvas 2D drawing gets slow. Same view interface as explorer-vis.js.
 * Filters and focus are sigma "reducers": they change what is drawn, never the graph. */
window.graphbuildView = function (container, DATA, util) {
  "use strict";
  var N = DATA.nodes, E = DATA.edges, T = DATA.types;
  // sigma sizes are screen pixels whatever the zoom: smaller than vis' radii
  var lo = Infinity, hi = -Infinity;
  N.forEach(function (n) { lo = Math.min(lo, n.value); hi = Math.max(hi, n.value); });
  function size(v) { return 2 + (hi > lo ? (v - lo) / (hi - lo) : 0.5) * 10; }
  var wmax = Math.max(1, DATA.maxWeight);
  var graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  N.forEach(function (n, i) {
    // sigma's y axis points up, the layout's (vis, screen) down
    graph.addNode(String(i), { x: n.x, y: -n.y, size: size(n.value), color: T[n.type].color, label: n.label });
  });
  E.forEach(function (e, k) {
    graph.addEdgeWithKey(String(k), String(e.s), String(e.t),
                         { size: 0.5 + 3.5 * (e.w - 1) / Math.max(1, wmax - 1), color: "#c8c8c8" });
  });
  var resized = false;
  var hiddenN = {}, hiddenE = {}, focus = null, keep = {}, touching = {}, selected = null, selectedEdge = null;
  var renderer = new Sigma(graph, container, {
    enableEdgeEvents: true, renderEdgeLabels: false, zIndex: true,
    labelRenderedSizeThreshold: 7, labelFont: "system-ui, sans-serif", labelSize: 12,
    nodeReducer: function (key, d) {
      var r = Object.assign({}, d);
      if (hiddenN[key]) r.hidden = true;
      if (focus !== null) {
        if (keep[key]) { r.zIndex = 1; r.forceLabel = true; }
        else { r.color = "#e8e8e8"; r.label = ""; r.zIndex = 0; }
      }
      if (key === selected) r.highlighted = true;
      return r;
    },
    edgeReducer: function (key, d) {
      var r = Object.assign({}, d);
      if (hiddenE[key]) r.hidden = true;
      if (focus !== null) {
        if (touching[key]) { r.color = "#555"; r.zIndex = 1; } else { r.color = "#f2f2f2"; r.zIndex = 0; }
      }
      if (key === selectedEdge) { r.color = "#222"; r.zIndex = 2; }
      return r;
    }
  });
  function refresh() { renderer.refresh({ skipIndexation: true }); }

  // text-only tooltip (textContent: never markup)
  var tip = document.createElement("div");
  tip.className = "vis-tooltip";
  container.appendChild(tip);
  renderer.on("enterNode", function (p) {
    tip.textContent = util.nodeTitle(Number(p.node));
    var d = renderer.framedGraphToViewport(renderer.getNodeDisplayData(p.node));
    tip.style.left = (d.x + 12) + "px"; tip.style.top = (d.y + 12) + "px";
    tip.style.visibility = "visible";
  });
  renderer.on("leaveNode", function () { tip.style.visibility = "hidden"; });

  return {
    name: "sigma", sigma: renderer, graph: graph,
    onClick: function (cb) {
      renderer.on("clickNode", function (p) { cb({ node: Number(p.node) }); });
      renderer.on("clickEdge", function (p) { selectedEdge = p.edge; selected = null; refresh(); cb({ edge: Number(p.edge) }); });
      renderer.on("clickStage", function () { selected = selectedEdge = null; refresh(); cb({}); });
    },
    // the constructor has already drawn the first frame; report after it reaches the screen
    onReady: function (cb) { requestAnimationFrame(function () { cb(); }); },
    setHidden: function (nodeChanges, edgeChanges) {
      nodeChanges.forEach(function (c) { if (c[1]) hiddenN[c[0]] = true; else delete hiddenN[c[0]]; });
      edgeChanges.forEach(function (c) { if (c[1]) hiddenE[c[0]] = true; else delete hiddenE[c[0]]; });
      refresh();
    },
    setFocus: function (f) {
      focus = f ? f.node : null; keep = {}; touching = {};
      if (f) { f.nodes.forEach(function (j) { keep[j] = true; }); f.edges.forEach(function (k) { touching[k] = true; }); }
      refresh();
    },
    setValues: function (v) {
      if (v === null && !resized) return;
      resized = v !== null;
      var lo2 = Infinity, hi2 = -Infinity;
      if (v) v.forEach(function (x) { lo2 = Math.min(lo2, x); hi2 = Math.max(hi2, x); });
      N.forEach(function (n, i) {
        graph.setNodeAttribute(String(i), "size", v === null ? size(n.value)
          : 2 + (hi2 > lo2 ? (v[i] - lo2) / (hi2 - lo2) : 0.5) * 10);
      });
    },
    selectNode: function (i) { selected = String(i); selectedEdge = null; refresh(); },
    selectEdge: function (k) { selectedEdge = String(k); selected = null; refresh(); },
    selectedNodes: function () { return selected === null ? [] : [Number(selected)]; },
    centre: function (i) {
      var d = renderer.getNodeDisplayData(String(i)), cam = renderer.getCamera();
      var to = { x: d.x, y: d.y, ratio: Math.min(cam.ratio, 0.5) };
      // every animation frame redraws all edges; without a GPU (software WebGL) a 20k-edge
      // frame costs hundreds of ms, so big graphs jump instead of gliding
      if (E.length > 5000) cam.setState(to); else cam.animate(to, { duration: 300 });
    },
    screenPositions: function () {
      return N.map(function (_, i) {
        var d = renderer.getNodeDisplayData(String(i)), p = renderer.framedGraphToViewport(d);
        return { x: p.x, y: p.y, r: d.size };
      });
    },
    // draw at ``scale`` x the screen's pixel density, run fn, restore: sigma reads the
    // density from window.devicePixelRatio on resize, so it is overridden for that time
    hiRes: function (scale, fn) {
      var own = Object.getOwnPropertyDescriptor(window, "devicePixelRatio");
      Object.defineProperty(window, "devicePixelRatio", { configurable: true, get: function () { return scale; } });
      try {
        renderer.resize(true); renderer.refresh();
        return fn();
      } finally {
        if (own) Object.defineProperty(window, "devicePixelRatio", own);
        else delete window.devicePixelRatio;
        renderer.resize(true); renderer.refresh();
      }
    },
    canvases: function () {
      // WebGL layers keep their pixels only until the frame is composited: draw now and
      // copy them in the same task
      renderer.refresh();
      return Array.prototype.slice.call(container.querySelectorAll("canvas"));
    },
    rendered: function () {
      var n = 0, m = 0;
      graph.forEachNode(function (key) { var d = renderer.getNodeDisplayData(key); if (d && !d.hidden) n++; });
      graph.forEachEdge(function (key) { var d = renderer.getEdgeDisplayData(key); if (d && !d.hidden) m++; });
      return { nodes: n, edges: m };
    }
  };
};

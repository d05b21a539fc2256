/* graphbuild explorer: exports an editor can publish. PNG at twice the screen's pixel
 * density and SVG, both with the title, a legend of the entity types, the filters in force
 * and a source line (corpus, dates, tool version). Text goes through canvas fillText or
 * DOM text nodes (XMLSerializer escapes it): a name never becomes markup. The PNG also
 * carries the title, legend and source as PNG text chunks (Title, Description, Source). */
(function () {
  "use strict";
  var G = window.graphbuild, DATA = G.data, T = DATA.types, N = DATA.nodes, E = DATA.edges;
  var view = G.view, $ = function (id) { return document.getElementById(id); };

  function filterLine() {
    var f = G.filters(), parts = ["min weight " + f.minWeight];
    if (f.dates) parts.push("dates " + f.dates);
    if (f.hiddenTypes.length) parts.push("hidden: " + f.hiddenTypes.join(", "));
    if (f.hideCountries) parts.push("countries and nationalities hidden");
    if (f.hiddenHubs && f.hiddenHubs.length) parts.push("hubs hidden: " + f.hiddenHubs.join(", "));
    if (f.focus) parts.push("focus: " + f.focus);
    var c = G.visibleCounts();
    parts.push(c.nodes + " entities, " + c.edges + " links shown");
    return parts.join(" · ");
  }
  function legendItems() {
    var hidden = G.filters().hiddenTypes;
    return T.filter(function (t) { return hidden.indexOf(t.name) < 0; });
  }
  function sourceLine() { return DATA.source || "graphbuild"; }
  function title() { return DATA.title || "graphbuild"; }

  // --- PNG ---------------------------------------------------------------------------------
  function composed(scale) {
    var layers = view.canvases(), gw = layers[0].width, gh = layers[0].height;
    var dpr = gw / Math.max(1, layers[0].clientWidth || gw);
    var k = scale / dpr;                               // canvas pixels -> output pixels
    var W = Math.round(gw * k), H = Math.round(gh * k), pad = 10 * scale, line = 16 * scale;
    var c = document.createElement("canvas");
    c.width = W; c.height = H + pad * 2 + line * 4;
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, c.width, c.height);
    ctx.fillStyle = "#111"; ctx.font = "600 " + (15 * scale) + "px system-ui, sans-serif";
    ctx.textBaseline = "top";
    ctx.fillText(title(), pad, pad);
    var top = pad * 2 + line;
    layers.forEach(function (l) { ctx.drawImage(l, 0, top, W, H); });
    var y = top + H + pad / 2, x = pad;
    ctx.font = (12 * scale) + "px system-ui, sans-serif";
    legendItems().forEach(function (t) {
      ctx.fillStyle = t.color; ctx.beginPath();
      ctx.arc(x + 6 * scale, y + 7 * scale, 5 * scale, 0, 2 * Math.PI); ctx.fill();
      ctx.fillStyle = "#222"; ctx.fillText(t.name, x + 15 * scale, y);
      x += 15 * scale + ctx.measureText(t.name).width + 14 * scale;
    });
    ctx.fillStyle = "#444";
    ctx.fillText(filterLine(), pad, y + line);
    ctx.fillStyle = "#777";
    ctx.fillText(sourceLine(), pad, y + 2 * line);
    return c;
  }
  function snapshot(scale) {
    scale = scale || 1;
    return view.hiRes ? view.hiRes(scale, function () { return composed(scale); }) : composed(scale);
  }
  var CRC = (function () {
    var t = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      t.push(c >>> 0);
    }
    return t;
  })();
  function crc32(bytes) {
    var c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  }
  function textChunk(key, value) {
    // tEXt is Latin-1: anything else becomes "?" (the image itself shows the real text)
    var body = key + "\0" + value.replace(/[^\x20-\x7e\xa0-\xff]/g, "?");
    var data = new Uint8Array(12 + body.length), len = body.length;
    data.set([len >>> 24, (len >>> 16) & 255, (len >>> 8) & 255, len & 255], 0);
    var typed = new Uint8Array(4 + len);
    "tEXt".split("").forEach(function (ch, i) { typed[i] = ch.charCodeAt(0); });
    for (var i = 0; i < len; i++) typed[4 + i] = body.charCodeAt(i) & 255;
    data.set(typed, 4);
    var crc = crc32(typed);
    data.set([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255], 8 + len);
    return data;
  }
  function pngBytes(canvas) {
    var bin = atob(canvas.toDataURL("image/png").split(",")[1]), png = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) png[i] = bin.charCodeAt(i);
    var legend = "Entity types: " + legendItems().map(function (t) { return t.name; }).join(", ") +
      ". " + filterLine();
    var chunks = [textChunk("Title", title()), textChunk("Description", legend),
                  textChunk("Source", sourceLine())];
    var iend = png.length - 12, extra = chunks.reduce(function (n, c) { return n + c.length; }, 0);
    var out = new Uint8Array(png.length + extra), at = iend;
    out.set(png.subarray(0, iend), 0);
    chunks.forEach(function (c) { out.set(c, at); at += c.length; });
    out.set(png.subarray(iend), at);
    return out;
  }

  // --- SVG ---------------------------------------------------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function svgText() {
    var box = $("graph"), W = box.clientWidth, H = box.clientHeight, top = 36, foot = 64;
    var svg = svgEl("svg", { xmlns: SVGNS, width: W, height: H + top + foot,
                             viewBox: "0 0 " + W + " " + (H + top + foot),
                             "font-family": "system-ui, sans-serif" });
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: W, height: H + top + foot, fill: "#ffffff" }));
    svg.appendChild(svgEl("title", {}, title()));
    svg.appendChild(svgEl("text", { x: 10, y: 24, "font-size": 15, "font-weight": 600, fill: "#111" }, title()));
    var g = svgEl("g", { transform: "translate(0," + top + ")" });
    var pos = view.screenPositions(), nh = G.nodeHidden(), eh = G.edgeHidden(), wmax = Math.max(1, DATA.maxWeight);
    E.forEach(function (e, k) {
      if (eh[k]) return;
      var a = pos[e.s], b = pos[e.t];
      g.appendChild(svgEl("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
                                    stroke: "#9a9a9a", "stroke-opacity": 0.5,
                                    "stroke-width": (0.5 + 3 * e.w / wmax).toFixed(2) }));
    });
    N.forEach(function (n, i) {
      if (nh[i]) return;
      var p = pos[i];
      if (p.x < -20 || p.y < -20 || p.x > W + 20 || p.y > H + 20) return;
      g.appendChild(svgEl("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1),
                                      fill: T[n.type].color, stroke: "#00000059" }));
    });
    G.labels().forEach(function (l) {
      g.appendChild(svgEl("text", { x: ((l.x0 + l.x1) / 2).toFixed(1), y: (l.y1 - 3).toFixed(1),
                                    "text-anchor": "middle", "font-size": 12, fill: "#222",
                                    stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" }, l.text));
    });
    svg.appendChild(g);
    var y = top + H + 18, x = 10;
    legendItems().forEach(function (t) {
      svg.appendChild(svgEl("circle", { cx: x + 6, cy: y - 4, r: 5, fill: t.color }));
      svg.appendChild(svgEl("text", { x: x + 15, y: y, "font-size": 12, fill: "#222" }, t.name));
      x += 30 + 8 * t.name.length;
    });
    svg.appendChild(svgEl("text", { x: 10, y: y + 18, "font-size": 12, fill: "#444" }, filterLine()));
    svg.appendChild(svgEl("text", { x: 10, y: y + 36, "font-size": 12, fill: "#777" }, sourceLine()));
    return new XMLSerializer().serializeToString(svg);
  }

  function download(name, blob) {
    var a = document.createElement("a");
    a.download = name;
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  var base = (DATA.title || "graph").replace(/[^\w.-]+/g, "_");
  $("export-png").addEventListener("click", function () {
    download(base + ".png", new Blob([pngBytes(snapshot(2))], { type: "image/png" }));
  });
  $("export-svg").addEventListener("click", function () {
    download(base + ".svg", new Blob([svgText()], { type: "image/svg+xml" }));
  });
  G.snapshot = snapshot; G.svg = svgText; G.png = function () { return pngBytes(snapshot(2)); };
})();

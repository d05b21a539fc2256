/* graphbuild explorer: the page around the graph view (legend, filters, search, focus,
 * evidence panel, PNG export). The view itself (explorer-vis.js or explorer-sigma.js) is
 * created by window.graphbuildView(container, DATA, util).
 * Every document-derived string arrives as JSON data and is written with textContent or
 * drawn on a canvas; nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var N = DATA.nodes, E = DATA.edges, P = DATA.paras, T = DATA.types;

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
  // tooltips are plain text (the views write them with innerText / textContent)
  function nodeTitle(i) {
    var n = N[i];
    return n.label + " (" + T[n.type].name + ")\n" + DATA.sizeBy + ": " + fmt(n.value) +
           "\nmentions: " + fmt(n.mentions) + " · documents: " + fmt(n.documents);
  }
  // in a date range the tooltip says the weight of the range (what the width shows)
  function edgeTitle(k, inRange) {
    var e = E[k];
    return N[e.s].label + " — " + N[e.t].label + "\nweight " +
           (inRange === undefined ? fmt(e.w) + " (paragraphs)"
                                  : fmt(inRange) + " in the dates chosen (" + fmt(e.w) + " in all)") +
           ", documents " + fmt(e.d);
  }

  // --- adjacency (node -> [edge index]) -------------------------------------------------
  var adj = N.map(function () { return []; });
  E.forEach(function (e, i) { adj[e.s].push(i); adj[e.t].push(i); });

  var container = $("graph");
  var view = window.graphbuildView(container, DATA, { fmt: fmt, nodeTitle: nodeTitle, edgeTitle: edgeTitle });

  // --- header, notice, legend and filters ------------------------------------------------
  $("title").textContent = DATA.title;
  var total = DATA.total, shown = DATA.shown;
  if (shown.nodes < total.nodes) {
    var notice = $("notice");
    notice.textContent = "Showing the " + fmt(shown.nodes) + " entities with the highest " +
      DATA.sizeBy + " out of " + fmt(total.nodes) + " (" + fmt(shown.edges) + " of " +
      fmt(total.edges) + " edges). Left out: " + fmt(total.nodes - shown.nodes) +
      " entities and " + fmt(total.edges - shown.edges) + " edges. To include them, rebuild with a larger " +
      "--max-nodes or with --full-graph (in Python: to_html(max_nodes=None)).";
    notice.hidden = false;
  }
  var sizeNote = "node size: " + DATA.sizeBy + " · edge width: weight";
  $("size-note").textContent = sizeNote;
  // countries and the names of their peoples (flagged in Python from the lexicon): what
  // every cable of an embassy names; one click takes them away, and the remaining nodes
  // are then sized by their strength among what is shown
  var nCp = N.filter(function (n) { return n.cp; }).length, hideCp = false;
  if (nCp) {
    $("cp-box").hidden = false;
    $("cp-count").textContent = "(" + fmt(nCp) + ")";
    $("hide-cp").addEventListener("change", function () { hideCp = $("hide-cp").checked; applyFilters(); });
  }
  // the k biggest hubs (most links drawn, then size): hidden in one click, the rest then
  // sized by their strength among what is shown
  var hubOrder = N.map(function (n, i) { return i; }).sort(function (a, b) {
    return adj[b].length - adj[a].length || N[b].value - N[a].value || a - b; });
  var hubHidden = N.map(function () { return false; }), hideHubs = false;
  function setHubs() {
    var k = Math.max(1, Math.round(Number($("hub-k").value) || 1));
    hideHubs = $("hide-hubs").checked;
    hubHidden = N.map(function () { return false; });
    if (hideHubs) hubOrder.slice(0, k).forEach(function (i) { hubHidden[i] = true; });
    $("hub-names").textContent = hideHubs ? hubOrder.slice(0, k).map(function (i) {
      return N[i].label; }).join(", ") : "";
    applyFilters();
  }
  if (N.length > 2) {
    $("hub-box").hidden = false;
    $("hide-hubs").addEventListener("change", setHubs);
    $("hub-k").addEventListener("input", function () { if ($("hide-hubs").checked) setHubs(); });
  }
  var hiddenTypes = {};
  T.forEach(function (t, i) {
    var lab = el("label"), box = el("input"), sw = el("span", null, "swatch");
    box.type = "checkbox"; box.checked = true; box.dataset.type = t.name;
    box.addEventListener("change", function () { hiddenTypes[i] = !box.checked; applyFilters(); });
    sw.style.background = t.color;
    lab.appendChild(box); lab.appendChild(sw); lab.appendChild(document.createTextNode(t.name + " (" + fmt(t.count) + ")"));
    $("types").appendChild(lab);
  });
  // --- minimum weight: a stepped slider and a number field ------------------------------
  // Weights are heavy-tailed (1 to 190 on 250 cables): the slider moves over steps (every
  // weight up to 10, then about 12 per power of ten), so 2, 3, 4, 5 are one notch each;
  // the number field takes any value.
  var slider = $("min-weight"), number = $("min-weight-number");
  var maxW = Math.max(1, Math.ceil(DATA.maxWeight)), steps = [];
  (function () {
    var seen = {};
    function add(w) { w = Math.min(maxW, Math.max(1, Math.round(w))); if (!seen[w]) { seen[w] = true; steps.push(w); } }
    for (var w = 1; w <= Math.min(10, maxW); w++) add(w);
    for (var x = Math.log10(10); x <= Math.log10(maxW) + 1e-9; x += 1 / 12) add(Math.pow(10, x));
    add(maxW);
    steps.sort(function (a, b) { return a - b; });
  })();
  slider.max = String(steps.length - 1);
  number.max = String(maxW);
  if (maxW <= 1) { slider.disabled = true; number.disabled = true; }
  function minWeight() { return Math.max(1, Number(number.value) || 1); }
  slider.addEventListener("input", function () { number.value = String(steps[Number(slider.value)]); applyFilters(); });
  number.addEventListener("input", function () {
    var w = minWeight(), k = 0;
    while (k + 1 < steps.length && steps[k + 1] <= w) k++;
    slider.value = String(k);
    applyFilters();
  });

  // --- dates: a month range over the evidence ---------------------------------------------
  // Each shown edge carries its evidence paragraphs per month (DATA.time.edgeMonths); in a
  // range, an edge weighs the paragraphs of that range (undated ones left out) and the
  // weight filter applies to that. A histogram shows the documents per month.
  var TM = DATA.time || {}, months = TM.months || [], tFrom = $("t-from"), tTo = $("t-to");
  var rangeOn = false, rangeW = E.map(function (e) { return e.w; });
  function monthsBars(canvas, counts, lo, hi) {
    var ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height, top = 0;
    counts.forEach(function (c) { top = Math.max(top, c); });
    ctx.clearRect(0, 0, w, h);
    var bw = w / Math.max(1, counts.length);
    counts.forEach(function (c, i) {
      if (!c) return;
      ctx.fillStyle = lo === undefined || (i >= lo && i <= hi) ? "#0072B2" : "#c9d6e3";
      var bh = Math.max(1, Math.round((h - 2) * c / top));
      ctx.fillRect(i * bw, h - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
    });
  }
  function setRange(lo, hi) {
    lo = Math.max(0, Math.min(lo, months.length - 1)); hi = Math.max(lo, Math.min(hi, months.length - 1));
    tFrom.value = String(lo); tTo.value = String(hi);
    rangeOn = lo > 0 || hi < months.length - 1;
    $("t-label").textContent = months[lo] + " – " + months[hi];
    E.forEach(function (e, k) {
      var w = 0;
      if (!rangeOn) w = e.w;
      else (TM.edgeMonths[k] || []).forEach(function (p) { if (p[0] >= lo && p[0] <= hi) w += p[1]; });
      rangeW[k] = w;
    });
    monthsBars($("t-hist"), TM.docMonths, lo, hi);
    if (view.setWidths) view.setWidths(rangeOn ? rangeW : null);
    applyFilters();
  }
  if (months.length > 1) {
    $("time-box").hidden = false;
    tFrom.max = tTo.max = String(months.length - 1);
    tTo.value = String(months.length - 1);
    $("t-label").textContent = months[0] + " – " + months[months.length - 1];
    monthsBars($("t-hist"), TM.docMonths);
    tFrom.addEventListener("input", function () { setRange(Number(tFrom.value), Math.max(Number(tFrom.value), Number(tTo.value))); });
    tTo.addEventListener("input", function () { setRange(Math.min(Number(tFrom.value), Number(tTo.value)), Number(tTo.value)); });
  }

  var nodeHidden = N.map(function () { return false; });
  var edgeHidden = E.map(function () { return false; });
  function applyFilters() {
    // a node is hidden when its type is, or when the weight filter leaves it no edge (a
    // node that had none to start with stays: it is in the graph as it was built)
    var minW = minWeight(), nu = [], eu = [], live = N.map(function () { return 0; });
    var strength = N.map(function () { return 0; });
    function gone(i) { return !!hiddenTypes[N[i].type] || !!(hideCp && N[i].cp) || hubHidden[i]; }
    E.forEach(function (e, i) {
      var w = rangeW[i], h = w < minW || w <= 0 || gone(e.s) || gone(e.t);
      if (!h) { live[e.s]++; live[e.t]++; strength[e.s] += w; strength[e.t] += w; }
      if (h !== edgeHidden[i]) { edgeHidden[i] = h; eu.push([i, h]); }
    });
    N.forEach(function (n, i) {
      var h = gone(i) || (adj[i].length > 0 && live[i] === 0);
      if (h !== nodeHidden[i]) { nodeHidden[i] = h; nu.push([i, h]); }
    });
    // sizes first: vis rebuilds its edge list when nodes change, then the hidden flags
    if (view.setValues) {
      var resize = hideCp || hideHubs || rangeOn;
      view.setValues(resize ? strength : null);
      $("size-note").textContent = resize ? "node size: strength among what is shown · edge width: weight" +
        (rangeOn ? " in the dates chosen" : "") : sizeNote;
    }
    view.setHidden(nu, eu);
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

  // --- focus: everything but the neighbourhood is dimmed by the view ----------------------
  var focused = null, keepNodes = [];
  function focusNode(i) {
    focused = i;
    var seen = {}; seen[i] = true; keepNodes = [];
    adj[i].forEach(function (k) {
      var o = E[k].s === i ? E[k].t : E[k].s;
      if (!seen[o]) { seen[o] = true; keepNodes.push(o); }
    });
    keepNodes.push(i);  // drawn last: on top
    view.setFocus({ node: i, nodes: keepNodes, edges: adj[i] });
  }
  function clearFocus() {
    if (focused === null) return;
    focused = null; keepNodes = [];
    view.setFocus(null);
  }
  function focusedSet() { return focused === null ? null : keepNodes.slice(); }

  // --- evidence panel -----------------------------------------------------------------
  var body = $("panel-body");
  function highlighted(par, a, b) {
    // paragraph text with the mentions of the two entities marked (offsets are computed in
    // Python from the mention table; text nodes only, so the text cannot become markup)
    // a cable's hard-wrapped lines are one paragraph: a lone line break reads as a space
    // (one character for one, so the mention offsets still hold)
    var box = el("div", null, "para"), pos = 0, text = par.text.replace(/([^\n])\n(?!\n)/g, "$1 ");
    box.appendChild(el("span", par.doc + " ¶" + par.p + (par.sec && par.sec !== "body" ? " (" + par.sec + ")" : ""), "ref"));
    // redaction markers (XXXXXXXXXXXX) are people or groups the cable protects: never
    // entities, but the reader should know the paragraph names someone it hides
    if (par.red) box.appendChild(el("span", "source protected" + (par.red > 1 ? " ×" + par.red : ""), "protected"));
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
  var EVIDENCE_PAGE = 10;
  function showEdge(k, first, pageNo) {
    // "first": the node the user came from (its panel's link list) is named first;
    // the embedded paragraphs are shown EVIDENCE_PAGE at a time
    var e = E[k], sa = first === e.t ? e.t : e.s, sb = sa === e.s ? e.t : e.s, a = N[sa], b = N[sb];
    var pages = Math.max(1, Math.ceil(e.ev.length / EVIDENCE_PAGE));
    pageNo = Math.max(0, Math.min(pageNo || 0, pages - 1));
    body.replaceChildren();
    var h = el("h2"); h.appendChild(el("mark", a.label, "a")); h.appendChild(document.createTextNode(" — ")); h.appendChild(el("mark", b.label, "b"));
    body.appendChild(h);
    body.appendChild(el("div", "weight " + fmt(e.w) + ": together in " + fmt(e.evn || e.w) + " paragraph(s) of " + fmt(e.d) + " document(s)", "meta"));
    body.appendChild(el("h3", "Evidence"));
    if (!e.ev.length) body.appendChild(el("p", "No paragraph text embedded for this link (see edges.csv).", "hint"));
    function pager() {
      if (pages < 2) return;
      var nav = el("div", null, "pager"), lo = pageNo * EVIDENCE_PAGE;
      [["◀ previous", pageNo - 1, pageNo === 0], ["next ▶", pageNo + 1, pageNo === pages - 1]].forEach(function (b2) {
        var btn = el("button", b2[0], "link"); btn.type = "button"; btn.disabled = b2[2];
        btn.addEventListener("click", function () { showEdge(k, first, b2[1]); });
        nav.appendChild(btn); nav.appendChild(document.createTextNode(" "));
      });
      nav.appendChild(document.createTextNode("paragraphs " + (lo + 1) + "–" + Math.min(lo + EVIDENCE_PAGE, e.ev.length) + " of " + e.ev.length));
      body.appendChild(nav);
    }
    pager();
    e.ev.slice(pageNo * EVIDENCE_PAGE, (pageNo + 1) * EVIDENCE_PAGE).forEach(function (pi) { body.appendChild(highlighted(P[pi], sa, sb)); });
    pager();
    if (e.evn > e.ev.length) body.appendChild(el("p", "This page holds " + e.ev.length + " of " + fmt(e.evn) + " paragraphs. All of them, with their text: graphbuild evidence \"" + a.label + "\" \"" + b.label + "\" (or their references in edges.csv).", "hint"));
    body.dataset.edge = String(k); body.dataset.page = String(pageNo); delete body.dataset.node;
  }
  function showNode(i) {
    var n = N[i];
    body.replaceChildren();
    body.appendChild(el("h2", n.label));
    var t = el("div", null, "meta"), sw = el("span", null, "swatch"); sw.style.background = T[n.type].color;
    t.appendChild(sw); t.appendChild(document.createTextNode(T[n.type].name + " · id " + n.id + " · " + fmt(n.mentions) + " mentions in " + fmt(n.documents) + " document(s) · " + DATA.sizeBy + " " + fmt(n.value)));
    body.appendChild(t);
    if (n.alias && n.alias.length) body.appendChild(el("div", "also: " + n.alias.join(" · "), "meta aliases"));
    var links = adj[i].slice().sort(function (x, y) { return E[y].w - E[x].w || E[y].d - E[x].d; });
    body.appendChild(el("h3", "Strongest links (" + fmt(links.length) + ")"));
    var ol = el("ol");
    links.slice(0, 15).forEach(function (k) {
      var other = E[k].s === i ? E[k].t : E[k].s, li = el("li"), btn = el("button", N[other].label, "link");
      btn.type = "button";
      btn.addEventListener("click", function () { view.selectEdge(k); showEdge(k, i); });
      li.appendChild(btn); li.appendChild(document.createTextNode(" — weight " + fmt(E[k].w)));
      ol.appendChild(li);
    });
    body.appendChild(ol);
    if (months.length > 1 && TM.nodeMonths && TM.nodeMonths[i] && TM.nodeMonths[i].length) {
      var per = months.map(function () { return 0; });
      TM.nodeMonths[i].forEach(function (p) { per[p[0]] = p[1]; });
      body.appendChild(el("h3", "Mentions by month (" + months[0] + " – " + months[months.length - 1] + ")"));
      var cv = el("canvas", null, "months"); cv.width = 300; cv.height = 40;
      cv.setAttribute("aria-label", "mentions per month");
      body.appendChild(cv); monthsBars(cv, per);
    }
    var docs = DATA.nodeDocs[i] || [0, []];
    body.appendChild(el("h3", "Documents (" + fmt(docs[0]) + ")"));
    var ul = el("ul");
    docs[1].forEach(function (d) {
      // the cable's date, classification, origin and subject, when the build knows them;
      // its id opens the reader
      var li = el("li", null, "doc"), info = (DATA.docs || {})[d[0]] || ["", "", "", ""];
      var open = el("button", d[0], "link docid");
      open.type = "button"; open.title = "Read this document";
      open.addEventListener("click", function () { openReader(d[0], i); });
      li.appendChild(open);
      li.appendChild(document.createTextNode(" — " + fmt(d[1]) + " mention(s)"));
      var meta = [info[0], info[1], info[2]].filter(function (x) { return x; }).join(" · ");
      if (meta) li.appendChild(el("div", meta, "docmeta"));
      if (info[3]) li.appendChild(el("div", info[3], "subject"));
      ul.appendChild(li);
    });
    body.appendChild(ul);
    if (docs[0] > docs[1].length) body.appendChild(el("p", "… and " + fmt(docs[0] - docs[1].length) + " more (mentions.csv).", "hint"));
    if (window.graphbuildJudge) window.graphbuildJudge(body, n);   // "this is wrong" (explorer-judge.js)
    body.dataset.node = String(i); delete body.dataset.edge; delete body.dataset.other;
  }

  // --- the reader: a document's paragraphs, drawn entities marked, citations to copy ------
  var R = DATA.reader || { docs: {}, limit: [0, 0], left: 0 };
  function citation(doc, par) {
    var info = (DATA.docs || {})[doc] || [""];
    var where = par > 0 ? "¶" + par : par === 0 ? "subject line" : par === -2 ? "signature" : "header";
    return doc + (info[0] ? " (" + info[0] + ")" : "") + " " + where;
  }
  function copyText(text, btn) {
    function done() { btn.textContent = "copied"; setTimeout(function () { btn.textContent = "copy citation"; }, 1200); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(); });
    } else fallback();
    function fallback() {
      var ta = el("textarea"); ta.value = text; document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); } catch (err) { /* the citation stays visible */ }
      ta.remove(); done();
    }
  }
  function openReader(doc, from) {
    body.replaceChildren();
    if (from !== undefined) {
      var back = el("button", "← " + N[from].label, "link");
      back.type = "button";
      back.addEventListener("click", function () { showNode(from); });
      body.appendChild(back);
    }
    body.appendChild(el("h2", doc));
    var info = (DATA.docs || {})[doc] || ["", "", "", ""];
    var meta = [info[0], info[1], info[2]].filter(function (x) { return x; }).join(" · ");
    if (meta) body.appendChild(el("div", meta, "meta"));
    if (info[3]) body.appendChild(el("div", info[3], "subject"));
    var paras = R.docs[doc];
    if (!paras) {
      body.appendChild(el("p", "Its text is not in this page: the page embeds at most " + fmt(R.limit[0]) +
        " documents (" + fmt(R.limit[1]) + " characters), those listed under the most central entities first" +
        (R.left ? "; " + fmt(R.left) + " others are left out" : "") +
        ". graphbuild evidence prints the paragraphs behind any tie, and documents.csv gives each document's file.", "hint"));
      body.dataset.doc = doc; delete body.dataset.node; delete body.dataset.edge;
      return;
    }
    paras.forEach(function (p) {
      var box = el("div", null, "para"), text = p[2].replace(/([^\n])\n(?!\n)/g, "$1 "), pos = 0;
      var head = el("span", null, "ref"), btn = el("button", "copy citation", "link copy"), cite = citation(doc, p[0]);
      head.appendChild(document.createTextNode(cite + "  "));
      btn.type = "button"; btn.title = cite;
      btn.addEventListener("click", function () { copyText(cite, btn); });
      head.appendChild(btn);
      box.appendChild(head);
      p[3].forEach(function (sp) {
        var s = sp[0], t = sp[1];
        if (s < pos || t <= s) return;
        box.appendChild(document.createTextNode(text.slice(pos, s)));
        var mk = el("mark", text.slice(s, t), sp[2] === from ? "a" : "c");
        mk.title = N[sp[2]].label;
        box.appendChild(mk);
        pos = t;
      });
      box.appendChild(document.createTextNode(text.slice(pos)));
      body.appendChild(box);
    });
    body.dataset.doc = doc; delete body.dataset.node; delete body.dataset.edge;
  }

  view.onClick(function (hit) {
    if (hit.node !== undefined) { focusNode(hit.node); showNode(hit.node); }
    else if (hit.edge !== undefined) { clearFocus(); showEdge(hit.edge); }
    else { clearFocus(); }
  });

  // --- search ----------------------------------------------------------------------------
  // A small type-ahead list of our own: a native <datalist> with 10k options made Chromium
  // spend 15 s filling the box.
  // Each node is searched by its label and its other names (n.alias: the aliases and surface
  // forms of its mentions), so "FARC" finds the entity labelled with FARC's long form.
  var lower = N.map(function (n) { return n.label.toLowerCase(); });
  var lowerAlias = N.map(function (n) { return (n.alias || []).map(function (a) { return a.toLowerCase(); }); });
  var byLabel = {}, byAlias = {};
  lower.forEach(function (key, i) { if (!(key in byLabel)) byLabel[key] = i; });
  lowerAlias.forEach(function (keys, i) { keys.forEach(function (key) { if (!(key in byAlias)) byAlias[key] = i; }); });
  var via = {};  // node -> the other name it matched by (shown in the suggestion list)
  function aliasWhere(i, test) {
    for (var j = 0; j < lowerAlias[i].length; j++) if (test(lowerAlias[i][j])) return N[i].alias[j];
    return null;
  }
  // entities the page does not draw (the most mentioned, DATA.others): found after the
  // drawn ones, as index N + j
  var O = DATA.others || [], lowerO = O.map(function (o) { return o[0].toLowerCase(); });
  function matches(q, limit) {
    // exact label, exact other name, then prefixes, then substrings (label before other
    // names in each); nodes are ranked by size, so within each group the most central
    // entity comes first; then the entities not drawn, the same way
    q = q.trim().toLowerCase();
    via = {};
    if (!q) return [];
    var out = [], seen = {};
    function add(i, name) {
      if (!seen[i] && out.length < limit) { seen[i] = true; out.push(i); if (name) via[i] = name; }
    }
    function prefix(key) { return key.indexOf(q) === 0; }
    function inside(key) { return key.indexOf(q) > 0; }
    if (q in byLabel) add(byLabel[q]);
    if (q in byAlias) add(byAlias[q], aliasWhere(byAlias[q], function (k) { return k === q; }));
    [prefix, inside].forEach(function (test) {
      var i, name;
      for (i = 0; i < N.length && out.length < limit; i++) if (test(lower[i])) add(i);
      for (i = 0; i < N.length && out.length < limit; i++) {
        if (!seen[i] && (name = aliasWhere(i, test)) !== null) add(i, name);
      }
    });
    [function (k) { return k === q; }, prefix, inside].forEach(function (test) {
      for (var j = 0; j < O.length && out.length < limit; j++) if (test(lowerO[j])) add(N.length + j);
    });
    return out;
  }
  function typeColor(name) {
    for (var t = 0; t < T.length; t++) if (T[t].name === name) return T[t].color;
    return "#999999";
  }
  function showOther(j) {
    var o = O[j];
    clearFocus();
    body.replaceChildren();
    body.appendChild(el("h2", o[0]));
    body.appendChild(el("div", o[1] + " · " + fmt(o[2]) + " mentions", "meta"));
    body.appendChild(el("p", "Not drawn in this page: it shows the " + fmt(N.length) +
      " entities with the highest " + DATA.sizeBy + ".", "hint"));
    if (o[3].length) {
      body.appendChild(el("h3", "Its strongest ties among the drawn entities"));
      var ol = el("ol");
      o[3].forEach(function (t) {
        var li = el("li"), btn = el("button", N[t[0]].label, "link");
        btn.type = "button";
        btn.addEventListener("click", function () { selectNode(t[0]); });
        li.appendChild(btn); li.appendChild(document.createTextNode(" — weight " + fmt(t[1])));
        ol.appendChild(li);
      });
      body.appendChild(ol);
    } else {
      body.appendChild(el("p", "It shares no paragraph with a drawn entity.", "hint"));
    }
    body.appendChild(el("p", "To see it with its neighbourhood: graphbuild ego \"" + o[0] +
      "\" -o ego/ (a page of its own), or rebuild with a larger --max-nodes.", "hint"));
    body.dataset.other = String(j); delete body.dataset.node; delete body.dataset.edge;
  }
  function findNode(q) { var m = matches(q, 1); return m.length ? m[0] : -1; }
  function selectNode(i) {
    if (i >= N.length) { showOther(i - N.length); return; }
    if (nodeHidden[i]) {  // a filtered-out type: bring it back rather than fail silently
      var box = document.querySelector('#types input[data-type="' + CSS.escape(T[N[i].type].name) + '"]');
      if (box) { box.checked = true; hiddenTypes[N[i].type] = false; applyFilters(); }
    }
    view.selectNode(i);
    view.centre(i);
    focusNode(i); showNode(i);
  }
  var search = $("search"), list = $("suggestions"), current = [], active = -1;
  function closeList() { list.hidden = true; list.replaceChildren(); current = []; active = -1; }
  function pick(i) {
    search.value = i < N.length ? N[i].label : O[i - N.length][0];
    closeList(); search.classList.remove("miss"); selectNode(i);
  }
  function suggest() {
    current = matches(search.value, 12); active = -1;
    list.replaceChildren();
    current.forEach(function (i, pos) {
      var li = el("li"), sw = el("span", null, "swatch"), drawnNode = i < N.length;
      sw.style.background = drawnNode ? T[N[i].type].color : typeColor(O[i - N.length][1]);
      li.appendChild(sw); li.appendChild(document.createTextNode(drawnNode ? N[i].label : O[i - N.length][0]));
      if (i in via) li.appendChild(el("span", " (" + via[i] + ")", "alias"));
      if (!drawnNode) li.appendChild(el("span", " (not drawn)", "alias"));
      li.dataset.pos = String(pos);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
      list.appendChild(li);
    });
    list.hidden = current.length === 0;
  }
  function runSearch() {
    var i = active >= 0 ? current[active] : findNode(search.value);
    search.classList.toggle("miss", i < 0 && search.value.trim() !== "");
    if (i >= 0) pick(i); else closeList();
    return i;
  }
  search.addEventListener("input", suggest);
  search.addEventListener("blur", closeList);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); runSearch(); }
    else if (ev.key === "Escape") closeList();
    else if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && current.length) {
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : current.length - 1 + (active < 0 ? 1 : 0))) % current.length;
      Array.prototype.forEach.call(list.children, function (li, pos) { li.classList.toggle("active", pos === active); });
    }
  });

  // --- exports: explorer-export.js (PNG at 2x and SVG, with legend, filters and source)
  function filters() {
    var hidden = T.filter(function (t, i) { return hiddenTypes[i]; }).map(function (t) { return t.name; });
    return { minWeight: minWeight(), dates: rangeOn ? $("t-label").textContent : null,
             hiddenTypes: hidden, hideCountries: hideCp,
             hiddenHubs: hideHubs ? hubOrder.filter(function (i) { return hubHidden[i]; })
               .map(function (i) { return N[i].label; }) : [], focus: focused === null ? null : N[focused].label };
  }

  // --- links into the page: #node=ID and #edge=SOURCE|TARGET after the page's address
  // (ids percent-encoded), as the brief's citations write them -------------------------
  var byId = {};
  N.forEach(function (n, i) { byId[n.id] = i; });
  function decode(x) { try { return decodeURIComponent(x); } catch (err) { return null; } }
  function openLink() {
    var h = location.hash.slice(1), eq = h.indexOf("=");
    if (eq < 0) return -1;
    var kind = h.slice(0, eq), arg = h.slice(eq + 1);
    if (kind === "node") {
      var id = decode(arg);
      if (id !== null && byId.hasOwnProperty(id)) { selectNode(byId[id]); return 1; }
      notShown("Entity “" + id + "” is not among the entities this page shows.");
      return 0;
    }
    if (kind !== "edge") return -1;
    var ends = arg.split("|").map(decode);
    var a = byId.hasOwnProperty(ends[0]) ? byId[ends[0]] : -1;
    var b = byId.hasOwnProperty(ends[1]) ? byId[ends[1]] : -1;
    if (a >= 0 && b >= 0) {
      for (var j = 0; j < adj[a].length; j++) {
        var k = adj[a][j];
        if (E[k].s === b || E[k].t === b) {
          view.selectEdge(k); focusNode(a); showEdge(k, a); view.centre(a); return 1;
        }
      }
    }
    notShown("The tie " + ends.join(" — ") + " is not among the ties this page shows; " +
             "`graphbuild evidence` lists all its paragraphs.");
    return 0;
  }
  function notShown(text) {
    body.replaceChildren();
    body.appendChild(el("p", text, "hint"));
  }
  window.addEventListener("hashchange", openLink);

  // the first picture (see html.starts_without_countries): without the countries and
  // peoples when they would dominate it
  if (DATA.startHideCp && nCp) { $("hide-cp").checked = true; hideCp = true; applyFilters(); }
  updateStatus();
  // hooks for tests and scripting: counts of what vis-network actually draws
  window.graphbuild = {
    view: view, renderer: view.name, network: view.network, nodes: view.nodes, edges: view.edges,
    sigma: view.sigma, data: DATA, findNode: findNode, selectNode: selectNode, showEdge: showEdge,
    visibleCounts: visibleCounts, focused: focusedSet, rendered: view.rendered,
    values: function () { return view.values ? view.values() : null; },
    setDateRange: setRange, edgeWeights: function () { return rangeW.slice(); },
    openReader: openReader,
    openLink: openLink, filters: filters, hubs: function () { return hubOrder.slice(); },
    nodeHidden: function () { return nodeHidden.slice(); },
    edgeHidden: function () { return edgeHidden.slice(); },
    labels: function () { return view.labels ? view.labels() : []; }
  };
  view.onReady(function () {
    openLink();
    window.graphbuild.readyAt = performance.now();
    document.body.dataset.ready = "1";
  });
})();

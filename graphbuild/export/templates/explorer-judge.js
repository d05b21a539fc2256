"use strict";
// "This is wrong": decisions about an entity from its panel (not an entity, another type,
// the same as another entity), collected into the judgements file review.html writes.
(function () {
  var J = window.GraphbuildJudgements, decisions = [];
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var labels = (DATA.nodes || []).map(function (n) { return n.label; });
  var bar = document.getElementById("bar");
  var link = document.createElement("a");
  link.id = "judgements"; link.download = "judgements.toml"; link.hidden = true;
  link.title = "Your decisions about entities: graphbuild build ... --judgements judgements.toml";
  bar.appendChild(link);
  var url = null;
  function refresh() {
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([J.toml(decisions, "", "the explorer")],
                                       { type: "application/toml" }));
    link.href = url; link.hidden = decisions.length === 0;
    link.textContent = "judgements.toml (" + decisions.length + ")";
  }
  function add(d, box) {
    decisions.push(d); refresh();
    var p = document.createElement("p"); p.className = "hint judged";
    p.textContent = "recorded: " + J.describe(d);
    box.appendChild(p);
  }
  var list = document.createElement("datalist"); list.id = "entity-labels";
  labels.forEach(function (l) { var o = document.createElement("option"); o.value = l; list.appendChild(o); });
  document.body.appendChild(list);

  window.graphbuildJudge = function (body, node) {
    var box = document.createElement("details"); box.className = "wrong";
    var sum = document.createElement("summary"); sum.textContent = "This is wrong…";
    box.appendChild(sum);
    function button(text, cls, fn) {
      var b = document.createElement("button"); b.type = "button"; b.textContent = text;
      b.className = cls; b.addEventListener("click", fn); return b;
    }
    var row1 = document.createElement("div");
    row1.appendChild(button("Not an entity", "judge-exclude", function () {
      add({ kind: "exclude", names: [node.label] }, box);
    }));
    var sel = document.createElement("select"); sel.className = "judge-type";
    ["PER", "ORG", "LOC", "MISC"].forEach(function (t) {
      var o = document.createElement("option"); o.value = t; o.textContent = t;
      sel.appendChild(o);
    });
    row1.appendChild(document.createTextNode(" type: ")); row1.appendChild(sel);
    row1.appendChild(button("Retype", "judge-retype", function () {
      add({ kind: "retype", names: [node.label], type: sel.value }, box);
    }));
    var row2 = document.createElement("div");
    var other = document.createElement("input"); other.className = "judge-other";
    other.setAttribute("list", "entity-labels"); other.placeholder = "same entity as…";
    row2.appendChild(other);
    row2.appendChild(button("Merge", "judge-merge", function () {
      var name = other.value.trim();
      if (name && name !== node.label) add({ kind: "merge", names: [node.label, name] }, box);
    }));
    box.appendChild(row1); box.appendChild(row2);
    body.appendChild(box);
  };
  window.graphbuildJudgements = function () { return decisions.slice(); };
})();

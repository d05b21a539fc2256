"use strict";
// review.html: render the candidates, record decisions, write them as TOML.
// Every string from the documents is set with textContent (never innerHTML).
(function () {
  const DATA = JSON.parse(document.getElementById("data").textContent);
  const decisions = new Map();          // candidate n -> decision object
  const KIND_TITLES = {
    merge: ["Same entity?", "Names that probably name one entity."],
    exclude: ["Not an entity?", "Codes, markings, generic words and lone spans."],
    retype: ["Which type?", "Entities whose mentions disagree on the type."],
    split: ["Split?", "One node whose spellings look like different people."],
  };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  const J = window.GraphbuildJudgements;
  const describe = J.describe;
  const toml = () => J.toml(decisions.values(), document.getElementById("by").value.trim(),
                            "review.html");

  let url = null;
  function refresh() {
    const text = toml();
    document.getElementById("toml").textContent = text;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([text], { type: "application/toml" }));
    document.getElementById("download").href = url;
    const n = decisions.size;
    document.getElementById("summary").textContent =
      DATA.items.length + " candidates \u00b7 " + n + " decision" + (n === 1 ? "" : "s");
  }

  function card(item) {
    const box = el("div", { class: "card", "data-n": String(item.n), "data-kind": item.kind });
    const sep = item.kind === "merge" ? " = " : "";
    box.append(el("div", { class: "head" },
      el("span", { class: "names", text: item.names.join(sep) + (item.kind === "retype" ?
        " \u2192 " + item.type : "") }),
      el("span", { class: "meta", text: item.mentions + " mentions \u00b7 confidence " +
        item.confidence.toFixed(2) + " \u00b7 impact " + item.impact.toFixed(1) })));
    box.append(el("div", { class: "why", text: item.why }));
    const ev = el("div", { class: "ev" });
    const allDocs = new Set(item.docs);
    for (const e of item.evidence) {
      const d = el("div", {}, el("div", { class: "who", text: e.name }));
      for (const s of e.snippets) d.append(el("p", { text: s }));
      d.append(el("div", { class: "docs", text: e.n_docs + " document(s): " +
        e.docs.join(", ") + (e.n_docs > e.docs.length ? ", \u2026" : "") +
        " \u00b7 " + e.neighbours + " neighbour(s)" }));
      e.docs.forEach((x) => allDocs.add(x));
      ev.append(d);
    }
    box.append(ev);
    if (item.shared.length) box.append(el("div", { class: "docs",
      text: "Shared neighbours: " + item.shared.join(", ") }));

    // the editor: label, type, scope
    const editor = el("div", { class: "editor" });
    const labelIn = el("input", { class: "label", size: "28", value: item.label || "" });
    const typeIn = el("select", { class: "type" });
    for (const t of DATA.types) {
      const o = el("option", { value: t, text: t });
      if (t === (item.type || "")) o.selected = true;
      typeIn.append(o);
    }
    if (item.kind === "merge" || item.kind === "split") editor.append(
      el("label", { text: "Name " }, labelIn));
    if (item.kind === "retype") editor.append(el("label", { text: "Type " }, typeIn));
    const scope = el("div", { class: "scope" });
    const every = el("input", { type: "radio", name: "scope" + item.n, value: "all" });
    const only = el("input", { type: "radio", name: "scope" + item.n, value: "docs" });
    (item.kind === "split" ? only : every).checked = true;
    scope.append(el("label", {}, every, " everywhere"), el("label", {}, only,
      " only in these documents:"));
    const docList = el("div", { class: "doclist" });
    for (const d of allDocs) {
      const c = el("input", { type: "checkbox", value: d });
      c.checked = item.docs.includes(d);
      docList.append(el("label", {}, c, " " + d + " "));
    }
    const why = el("input", { class: "why-in", size: "30", placeholder: "why (optional)" });
    editor.append(scope, docList, why);

    const state = el("span", { class: "state" });
    const accept = el("button", { class: "accept", type: "button", text: "Accept" });
    const reject = el("button", { class: "reject", type: "button", text: "Reject" });
    const edit = el("button", { class: "edit", type: "button", text: "Edit" });
    const undo = el("button", { class: "undo", type: "button", text: "Undo" });
    box.append(el("div", { class: "actions" }, accept, reject, edit, undo, state), editor);

    function chosenDocs() {
      if (!only.checked) return null;
      return Array.from(docList.querySelectorAll("input:checked")).map((c) => c.value);
    }
    function decide(accepted) {
      const docs = chosenDocs();
      let d = null;
      if (item.kind === "merge") {
        d = accepted ? { kind: "merge", names: item.names, label: labelIn.value.trim() || null,
                         docs } : { kind: "distinct", names: item.names };
      } else if (accepted && item.kind === "exclude") {
        d = { kind: "exclude", names: item.names, docs };
      } else if (accepted && item.kind === "retype") {
        d = { kind: "retype", names: item.names, type: typeIn.value };
      } else if (accepted && item.kind === "split") {
        d = { kind: "split", names: item.names, label: labelIn.value.trim() || null,
              docs: docs && docs.length ? docs : item.docs };
      }
      if (d) { d.why = why.value.trim() || null; decisions.set(item.n, d); }
      else decisions.delete(item.n);       // a rejected non-merge records nothing
      box.classList.toggle("accepted", accepted);
      box.classList.toggle("rejected", !accepted);
      state.textContent = d ? describe(d) : "rejected (nothing recorded)";
      refresh();
    }
    accept.addEventListener("click", () => decide(true));
    reject.addEventListener("click", () => decide(false));
    edit.addEventListener("click", () => box.classList.toggle("editing"));
    undo.addEventListener("click", () => {
      decisions.delete(item.n); box.classList.remove("accepted", "rejected");
      state.textContent = ""; refresh();
    });
    return box;
  }

  const lists = document.getElementById("lists");
  for (const kind of ["merge", "exclude", "retype", "split"]) {
    const items = DATA.items.filter((x) => x.kind === kind);
    const [title, hint] = KIND_TITLES[kind];
    lists.append(el("h2", { text: title + " (" + items.length + ")" }),
                 el("p", { class: "hint", text: hint }));
    const section = el("section", { "data-kind": kind });
    items.forEach((x) => section.append(card(x)));
    lists.append(section);
  }
  document.getElementById("by").addEventListener("input", refresh);
  window.graphbuildReview = { decisions: () => Array.from(decisions.values()), toml };
  refresh();
  document.body.dataset.ready = "1";
})();

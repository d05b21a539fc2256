"use strict";
// The judgements file as the pages write it: the same TOML that
// graphbuild.resolve.judgements.judgement_toml writes and load_judgements reads.
window.GraphbuildJudgements = (function () {
  function tomlString(s) {
    let out = "";
    for (const ch of String(s)) {
      const c = ch.codePointAt(0);
      if (ch === "\\") out += "\\\\"; else if (ch === "\"") out += "\\\"";
      else if (c < 32 || c === 127) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += ch;
    }
    return "\"" + out + "\"";
  }
  const list = (xs) => "[" + xs.map(tomlString).join(", ") + "]";

  function describe(d) {
    const sep = d.kind === "merge" ? " = " : d.kind === "distinct" ? " \u2260 " : ", ";
    let t = d.kind + " " + d.names.join(sep);
    if (d.type) t += " -> " + d.type;
    if (d.label && (d.kind === "merge" || d.kind === "split")) t += " as '" + d.label + "'";
    if (d.docs && d.docs.length) t += " in " + d.docs.length + " document(s)";
    return t;
  }

  function toml(decisions, by, where) {
    const when = new Date().toISOString().slice(0, 19) + "Z";
    let text = "# graphbuild judgements: an analyst's decisions about entities.\n" +
      "# `graphbuild build ... --judgements THIS_FILE` replays them over every automatic rule.\n";
    for (const d of decisions) {
      text += "\n# " + [when, by].filter(Boolean).join(" ") + ": " +
        describe(d).replace(/[\r\n]+/g, " ") + " (" + where + ")\n[[" + d.kind + "]]\n";
      if (d.kind === "merge" || d.kind === "distinct") text += "names = " + list(d.names) + "\n";
      else text += "name = " + tomlString(d.names[0]) + "\n";
      if (d.type) text += "type = " + tomlString(d.type) + "\n";
      if (d.label) text += "label = " + tomlString(d.label) + "\n";
      if (d.docs && d.docs.length) text += "docs = " + list(d.docs) + "\n";
      if (by) text += "by = " + tomlString(by) + "\n";
      text += "when = " + tomlString(when) + "\n";
      if (d.why) text += "why = " + tomlString(d.why) + "\n";
    }
    return text;
  }
  return { toml, describe, tomlString };
})();

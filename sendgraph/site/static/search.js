(function () {
  "use strict";
  // Ranked search over the findings with Lunr (BM25, English stemming and stop words). Results are
  // built with DOM calls only: document text is set as text, never parsed as markup.
  var data = JSON.parse(document.getElementById("sendgraph-data").textContent);
  var docs = data.docs;
  var byId = {};
  docs.forEach(function (d) { byId[d.id] = d; });
  var index = lunr(function () {
    this.ref("id");
    this.field("text");
    this.field("themes", {boost: 0.5});
    this.field("area", {boost: 2});
    this.metadataWhitelist = ["position"];
    var builder = this;
    docs.forEach(function (d) { builder.add(d); });
  });
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var filters = {kind: document.getElementById("f-kind"), outcome: document.getElementById("f-outcome"),
                 framework: document.getElementById("f-framework")};
  window.sendgraphSearch = {ready: true, count: docs.length};

  // Words of the query as Lunr clauses: every word required, phrases in quotes kept as required words
  // (Lunr has no phrase operator; the quote then has to hold them all), Lunr's own operators escaped.
  function clauses(text) {
    var words = [];
    text.replace(/"([^"]*)"|(\S+)/g, function (_, phrase, word) {
      (phrase || word || "").split(/[^\w'\u00C0-\u024F]+/).forEach(function (w) {
        w = w.replace(/^'+|'+$/g, "");
        if (w) { words.push(w.toLowerCase()); }
      });
    });
    return words;
  }
  function phrases(text) {
    var found = [];
    text.replace(/"([^"]+)"/g, function (_, p) { found.push(p.toLowerCase().replace(/\s+/g, " ").trim()); });
    return found;
  }
  function run(text) {
    var words = clauses(text);
    var wanted = phrases(text);
    if (!words.length) { return []; }
    var hits = index.query(function (q) {
      words.forEach(function (w) {
        var tokens = lunr.tokenizer(w);
        tokens.forEach(function (token) {
          var stemmed = lunr.stopWordFilter(token);
          if (stemmed) {
            q.term(token, {fields: ["text", "themes", "area"], presence: lunr.Query.presence.REQUIRED,
                           usePipeline: true});
          }
        });
      });
    });
    return hits.filter(function (hit) {
      var d = byId[hit.ref];
      if (filters.kind.value && d.kind !== filters.kind.value) { return false; }
      if (filters.outcome.value && d.outcome !== filters.outcome.value) { return false; }
      if (filters.framework.value && d.framework !== filters.framework.value) { return false; }
      var quote = d.text.toLowerCase().replace(/\s+/g, " ");
      return wanted.every(function (p) { return quote.indexOf(p) !== -1; });
    });
  }
  function marked(text, positions) {
    var span = document.createElement("span");
    var at = 0;
    positions.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (p) {
      if (p[0] < at) { return; }
      span.appendChild(document.createTextNode(text.slice(at, p[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(p[0], p[0] + p[1]);
      span.appendChild(mark);
      at = p[0] + p[1];
    });
    span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }
  function show(text) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    var hits = run(text);
    if (!text.trim()) { status.textContent = "Type words to search " + docs.length + " findings."; return; }
    status.textContent = hits.length === 1 ? "1 finding found." : hits.length + " findings found.";
    hits.slice(0, 100).forEach(function (hit) {
      var d = byId[hit.ref];
      var positions = [];
      Object.keys(hit.matchData.metadata).forEach(function (term) {
        var text_meta = hit.matchData.metadata[term].text;
        if (text_meta && text_meta.position) { positions = positions.concat(text_meta.position); }
      });
      var li = document.createElement("li");
      var head = document.createElement("p");
      var link = document.createElement(d.href ? "a" : "strong");
      if (d.href) { link.setAttribute("href", d.href); }
      link.textContent = d.area + ": " + d.kind_label + (d.date ? ", " + d.date : "");
      head.appendChild(link);
      if (d.outcome_label) { head.appendChild(document.createTextNode(" (" + d.outcome_label + ")")); }
      var quote = document.createElement("blockquote");
      quote.appendChild(marked(d.text, positions));
      li.appendChild(head);
      li.appendChild(quote);
      if (d.themes) {
        var themes = document.createElement("p");
        themes.className = "note";
        themes.textContent = "Themes: " + d.themes;
        li.appendChild(themes);
      }
      results.appendChild(li);
    });
    if (hits.length > 100) { status.textContent += " The first 100 are shown."; }
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { show(input.value); }, 150); });
  Object.keys(filters).forEach(function (k) { filters[k].addEventListener("change", function () { show(input.value); }); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();

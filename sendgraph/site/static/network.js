(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sendgraph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.network = network;
  window.sendgraph = {network: network, nodes: nodes, edges: edges, drawn: false,
                      expected: {nodes: data.nodes.length, edges: data.edges.length}};
  // Labels of the main nodes (areas, inspections, councils...) stay legible when zoomed out.
  var hubs = data.nodes.filter(function (n) { return n.hub === true; })
    .map(function (n) { return {id: n.id, size: n.font.size}; });
  var lastStep = null;
  function legibleHubs() {
    var scale = network.getScale();
    var step = Math.round(Math.log(scale) * 8);
    if (!hubs.length || step === lastStep || !isFinite(step)) { return; }
    lastStep = step;
    nodes.update(hubs.map(function (h) {
      return {id: h.id, font: {size: Math.min(h.size * 5, Math.max(h.size, 14 / scale))}};
    }));
  }
  // After every drawing, so programmatic moves (find, focus) count too; a no-op unless the scale changed.
  network.on("afterDrawing", legibleHubs);
  network.once("afterDrawing", function () {
    window.sendgraph.drawn = true;
    document.body.setAttribute("data-drawn", "true");
  });
  var details = document.getElementById("details");
  var detailsText = document.getElementById("details-text");
  function show(text) {
    if (text) {
      detailsText.textContent = text;
      details.hidden = false;
    } else {
      detailsText.textContent = "";
      details.hidden = true;
    }
  }
  document.getElementById("details-close").addEventListener("click", function () { show(""); });
  network.on("click", function (params) {
    if (params.nodes.length) {
      show(nodes.get(params.nodes[0]).title);
    } else if (params.edges.length) {
      show(edges.get(params.edges[0]).title);
    } else {
      show("");
    }
  });
  var form = document.getElementById("find");
  var status = document.getElementById("find-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = document.getElementById("find-text").value.trim().toLowerCase();
    status.textContent = "";
    if (!wanted) { return; }
    var hits = nodes.get({filter: function (n) {
      return (n.title || "").toLowerCase().indexOf(wanted) !== -1;
    }});
    if (!hits.length) { status.textContent = "not found"; return; }
    var ids = hits.map(function (n) { return n.id; });
    network.selectNodes(ids);
    if (ids.length === 1) {
      network.focus(ids[0], {scale: 1.2, animation: false});
    } else {
      network.fit({nodes: ids, animation: false});
    }
    status.textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    show(hits[0].title);
  });
})();

// Read a GEXF or GraphML file with the readers Gephi Lite uses (graphology-gexf,
// graphology-graphml) and print the graph as JSON: nodes, edges, their attributes and the
// JavaScript type of every attribute value, so the Python tests can check names and types.
// Usage: node read_export.js gexf|graphml FILE
'use strict';
const fs = require('fs');
const Graph = require('graphology');

const [kind, file] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const reader = kind === 'gexf' ? require('graphology-gexf') : require('graphology-graphml');
const graph = reader.parse(Graph, text);

const types = attrs => Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, typeof v]));
const out = {
  type: graph.type,
  order: graph.order,
  size: graph.size,
  nodes: graph.mapNodes((key, attributes) => ({key, attributes, types: types(attributes)})),
  edges: graph.mapEdges((key, attributes, source, target) => ({
    source, target, attributes, types: types(attributes)})),
};
process.stdout.write(JSON.stringify(out));

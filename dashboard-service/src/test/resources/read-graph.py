"""Reads a graph download with networkx, as an analyst would, and prints what it found as JSON.

Usage: python3 read-graph.py gexf|graphml FILE
"""
import json
import sys

import networkx as nx

kind, path = sys.argv[1], sys.argv[2]
graph = nx.read_gexf(path) if kind == "gexf" else nx.read_graphml(path)
print(json.dumps({
    "networkx": nx.__version__,
    "directed": graph.is_directed(),
    "nodes": {str(n): {k: v for k, v in data.items() if isinstance(v, (str, int, float))}
              for n, data in graph.nodes(data=True)},
    "edges": sorted([str(u), str(v), data.get("type"), float(data.get("weight", 1))]
                    for u, v, data in graph.edges(data=True)),
}))

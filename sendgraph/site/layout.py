"""Positions of a network's nodes, computed once with NetworkX (the page needs no physics)."""

from __future__ import annotations

import math

import networkx as nx


from sendgraph.site.style import _node_size, node_style, truncate_label

CORE_NODES = 400  # nodes laid out by the force model; the others are placed around them
SEED = 7
MAX_HUBS = 30  # nodes whose labels stay legible when zoomed out


# ----------------------------------------------------------------------------------------------
# Layout: NetworkX positions, computed once here so the page needs no physics.
# ----------------------------------------------------------------------------------------------


def _node_order(g):
    """Nodes in a stable order (independent of insertion order and of hash seeds)."""
    return sorted(g.nodes, key=lambda n: (str(g.nodes[n].get("kind", "")), str(g.nodes[n].get("label", "")), str(n)))


def layout_positions(g, seed: int = SEED, core: int = CORE_NODES) -> dict:
    """Positions (in screen pixels) of every node of ``g``, deterministic for a given graph.

    Nodes that all carry numeric ``x`` and ``y`` attributes keep them. Otherwise each connected
    part is laid out on its own and the parts are packed in rows, largest first. A part of up
    to ``core`` nodes gets a seeded spring layout; in a larger one only the ``core``
    best-connected nodes are laid out by the force model (linked where they share neighbours)
    and every other node is placed in a sunflower pattern around the nodes it is linked to, so
    the cost grows with the number of edges rather than with the square of the number of nodes.
    """
    order = _node_order(g)
    if not order:
        return {}
    given = {v: (g.nodes[v].get("x"), g.nodes[v].get("y")) for v in order}
    if all(isinstance(x, (int, float)) and isinstance(y, (int, float)) for x, y in given.values()):
        return {v: (float(x), float(y)) for v, (x, y) in given.items()}
    index = {v: i for i, v in enumerate(order)}
    u = nx.Graph()
    u.add_nodes_from(order)
    pairs = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in g.edges() if a != b}
    u.add_edges_from((order[a], order[b]) for a, b in sorted(pairs))
    parts = [sorted(c, key=index.get) for c in nx.connected_components(u)]
    parts.sort(key=lambda c: (-len(c), index[c[0]]))
    extent = {v: _node_size(g.degree(v)) for v in order}
    if len(order) <= 2 * MAX_HUBS:  # every label is drawn: keep labels apart too (roughly: they sit below)
        for v in order:
            label = truncate_label(g.nodes[v].get("label", v))
            extent[v] = max(extent[v], 0.3 * node_style(g.nodes[v].get("kind")).font * len(label))
    boxes = [_separate(_part_layout(_induced(u, part), part, index, seed, core), part, extent) for part in parts]
    return _pack(boxes)


def _separate(pos: dict, nodes: list, extent: dict, margin: float = 10.0, rounds: int = 6) -> dict:
    """Push apart nodes that would be drawn on top of each other (``extent``: a radius per node).

    A few rounds over a grid of cells, so the cost stays linear in the number of nodes; pairs are
    visited in a fixed order and coincident nodes move in a direction fixed by their order.
    """
    if len(nodes) < 2:
        return pos
    radius = {v: extent[v] for v in nodes}
    reach = 2 * max(radius.values()) + margin
    index = {v: i for i, v in enumerate(nodes)}
    pos = dict(pos)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    for _ in range(rounds if len(nodes) > 2 * MAX_HUBS else 4 * rounds):
        grid: dict[tuple, list] = {}
        for v in nodes:
            x, y = pos[v]
            grid.setdefault((math.floor(x / reach), math.floor(y / reach)), []).append(v)
        moved = False
        for cell in sorted(grid):
            members = grid[cell]
            if len(members) > 400:  # a crowd this dense is left to the force layout
                continue
            near = [w for dx in (-1, 0, 1) for dy in (-1, 0, 1) for w in grid.get((cell[0] + dx, cell[1] + dy), ())]
            for a in members:
                ax, ay = pos[a]
                for b in near:
                    if index[b] <= index[a]:
                        continue
                    bx, by = pos[b]
                    need = radius[a] + radius[b] + margin
                    dx, dy = bx - ax, by - ay
                    dist = math.hypot(dx, dy)
                    if dist >= need:
                        continue
                    if dist < 1e-6:
                        turn = index[b] * golden
                        dx, dy, dist = math.cos(turn), math.sin(turn), 1.0
                    push = (need - dist) / 2.0 + 0.5
                    ux, uy = dx / dist, dy / dist
                    ax, ay = ax - ux * push, ay - uy * push
                    pos[a] = (ax, ay)
                    pos[b] = (bx + ux * push, by + uy * push)
                    moved = True
        if not moved:
            break
    return pos


def _induced(u, nodes):
    """The subgraph of ``u`` on ``nodes``, built in the given order (subgraph views iterate sets)."""
    keep = set(nodes)
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_edges_from((a, b, {"weight": _pull(u, a, b)}) for a in nodes for b in u[a] if b in keep)
    return h


HUB_DEGREE = 8


def _pull(u, a, b) -> float:
    """Attraction of an edge in the layout: weak towards nodes linked to very many others (themes,
    services, inspectorates), so those do not drag everything into one knot."""
    return min(1.0, HUB_DEGREE / max(u.degree(a), u.degree(b), 1))


def _spacing(n: int) -> float:
    """Pixels per node: roomy for a few nodes (labels must not collide), tighter for many."""
    return 150.0 if n <= 12 else 120.0 if n <= 60 else 100.0 if n <= 400 else 70.0


def _iterations(n: int, most: int) -> int:
    """Force-layout iterations for ``n`` nodes: ``most`` up to 100 nodes, then fewer in proportion (at
    least 20), so a layout costs n times the iterations of 100 nodes rather than n squared: a site
    of many large area pages was spending most of its time here, on positions that move little
    after the first rounds."""
    return most if n <= 100 else max(20, round(most * 100 / n))


def _part_layout(h, part, index, seed, core) -> dict:
    n = len(part)
    if n == 1:
        return {part[0]: (0.0, 0.0)}
    if n == 2:
        return {part[0]: (-90.0, 0.0), part[1]: (90.0, 0.0)}
    scale = _spacing(n) * math.sqrt(n)
    if n <= core:
        pos = nx.spring_layout(h, seed=seed, iterations=_iterations(n, 120), k=1.6 / math.sqrt(n), weight="weight")
        return {v: (float(p[0]) * scale, float(p[1]) * scale) for v, p in pos.items()}

    ranked = sorted(part, key=lambda v: (-h.degree(v), index[v]))
    core_set = set(ranked[:core])
    c = nx.Graph()
    c.add_nodes_from(v for v in part if v in core_set)
    for a, b, w in h.edges(data="weight"):
        if a in core_set and b in core_set:
            c.add_edge(a, b, weight=w)
    for v in part:  # core nodes that share a satellite are pulled together
        if v in core_set:
            continue
        hubs = sorted((w for w in h[v] if w in core_set), key=index.get)[:6]
        for i, a in enumerate(hubs):
            for b in hubs[i + 1 :]:
                w = c.get_edge_data(a, b, {"weight": 0.0})["weight"]
                c.add_edge(a, b, weight=w + 0.25 * min(h[v][a]["weight"], h[v][b]["weight"]))
    pos = nx.spring_layout(c, seed=seed, iterations=_iterations(len(c), 80), weight="weight")
    placed = {v: (float(p[0]) * scale, float(p[1]) * scale) for v, p in pos.items()}

    # Breadth-first from the core: each node goes around the centre of its placed neighbours.
    golden = math.pi * (3.0 - math.sqrt(5.0))
    step = 18.0
    crowd: dict[tuple, int] = {}
    remaining = [v for v in part if v not in core_set]
    while remaining:
        waiting = []
        for v in remaining:
            anchors = tuple(sorted((w for w in h[v] if w in placed), key=index.get))
            if not anchors:
                waiting.append(v)
                continue
            pulls = [h[v][w]["weight"] for w in anchors]
            cx = sum(placed[w][0] * p for w, p in zip(anchors, pulls)) / sum(pulls)
            cy = sum(placed[w][1] * p for w, p in zip(anchors, pulls)) / sum(pulls)
            key = anchors[:3]
            i = crowd.get(key, 0) + 1
            crowd[key] = i
            r = step * (2.0 + math.sqrt(i))
            turn = i * golden + index[anchors[0]]
            placed[v] = (cx + r * math.cos(turn), cy + r * math.sin(turn))
        if len(waiting) == len(remaining):  # cannot happen in a connected part; kept as a guard
            for i, v in enumerate(waiting):
                placed[v] = (i * 3 * step, -scale - 3 * step)
            break
        remaining = waiting
    return placed


def _pack(boxes: list[dict], gap: float = 120.0) -> dict:
    """Place laid-out parts side by side in rows (shelf packing), largest first."""
    sized = []
    for pos in boxes:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        sized.append((pos, min(xs), min(ys), max(xs) - min(xs) + gap, max(ys) - min(ys) + gap))
    # Rows about as wide as a screen is wider than tall, so small parts sit beside the large ones.
    row_width = max(max(w for *_r, w, _h in sized), math.sqrt(sum(w * h for *_r, w, h in sized) * 1.8))
    out: dict = {}
    x = y = row_height = 0.0
    for pos, left, top, w, h in sized:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in pos.items():
            out[v] = (px - left + x, py - top + y)
        x += w
        row_height = max(row_height, h)
    return out

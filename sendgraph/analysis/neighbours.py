"""An area against its statistical neighbours (from the gazetteer) that the graph holds."""

from __future__ import annotations

from sendgraph import gazetteer
from sendgraph.errors import UsageError
from sendgraph.analysis.network import as_view, find_area, latest_inspection, polarity_counts, theme_labels, theme_profile
from sendgraph.vocab import INSPECTION_TYPE_LABELS, OUTCOME_LABELS, OUTCOME_ORDER, WEAKER_OUTCOMES

DEFINITION = (
    "statistical neighbours are the DfE's ten most similar local authorities (gazetteer); each area is "
    "represented by its latest inspection with an outcome (outcomes) and its latest inspection with findings "
    "(themes); a theme differs when the area raises it as a weakness and at most a third of the neighbours "
    "do, or does not raise it as a weakness and more than half of the neighbours do (likewise for strengths)")


def _side_counts(profile: dict, code: str) -> tuple[int, int]:
    return polarity_counts(profile.get(code, {}))


def _difference(here: bool, count: int, total: int, side: str) -> str | None:
    if not total:
        return None
    if here and count <= total / 3:
        return f"a {side} here, in {count} of {total} neighbours"
    if not here and count > total / 2:
        return f"not a {side} here, but in {count} of {total} neighbours"
    return None


def compare_neighbours(graph, area: str) -> dict:
    """Outcomes and themes of an area beside those of its statistical neighbours in the graph, and where
    the area differs from most of them."""
    G = as_view(graph)
    node = find_area(G, area)
    gss = G.nodes[node].get("gss_code")
    authority = gazetteer.by_code(gss) if gss else None
    if authority is None:
        raise UsageError(f"no statistical neighbours are known for {G.nodes[node]['label']} (no ONS code)")
    by_code = {G.nodes[a].get("gss_code"): a for a, k in G.nodes(data="kind") if k == "area"}
    present, missing = [], []
    for rank, code in enumerate(authority.stat_neighbours, 1):
        neighbour = by_code.get(code)
        if neighbour is not None:
            present.append((rank, neighbour))
        else:
            other = gazetteer.by_code(code)
            missing.append(other.name if other else code)

    def outcome_row(relation, area_node):
        latest = latest_inspection(G, area_node, with_outcome=True)
        data = G.nodes[latest] if latest else {}
        return {"area": G.nodes[area_node]["label"], "relation": relation, "region": G.nodes[area_node].get("region"),
                "start_date": data.get("start_date"), "type": data.get("inspection_type"),
                "type_label": INSPECTION_TYPE_LABELS.get(data.get("inspection_type")),
                "outcome": data.get("outcome"), "outcome_label": OUTCOME_LABELS.get(data.get("outcome"))}

    outcomes = [outcome_row("area", node)] + [outcome_row(f"neighbour {rank}", n) for rank, n in present]
    profiles = {}
    for area_node in [node] + [n for _, n in present]:
        latest = latest_inspection(G, area_node, with_findings=True)
        profiles[area_node] = theme_profile(G, [latest]) if latest else {}
    compared = [n for _, n in present if profiles[n]]
    codes = sorted({c for p in profiles.values() for c in p})
    theme_rows, differences = [], []
    labels = theme_labels(G)
    for code in codes:
        strengths, weaknesses = _side_counts(profiles[node], code)
        sides = [_side_counts(profiles[n], code) for n in compared]
        n_strength = sum(1 for s, _ in sides if s)
        n_weakness = sum(1 for _, w in sides if w)
        notes = [note for note in (_difference(bool(weaknesses), n_weakness, len(compared), "weakness"),
                                   _difference(bool(strengths), n_strength, len(compared), "strength")) if note]
        theme_rows.append({"theme": code, "theme_label": labels.get(code, code), "strengths": strengths, "weaknesses": weaknesses,
                           "neighbours_with_strength": n_strength, "neighbours_with_weakness": n_weakness,
                           "neighbours_compared": len(compared), "differs": "; ".join(notes)})
        differences.extend({"aspect": f"theme {labels.get(code, code)}", "difference": note} for note in notes)
    own = outcomes[0]["outcome"]
    others = [r["outcome"] for r in outcomes[1:] if r["outcome"]]
    if own and others:
        rank = {o: i for i, o in enumerate(OUTCOME_ORDER)}
        below = sum(1 for o in others if rank.get(o, 0) > rank.get(own, 0))
        above = sum(1 for o in others if rank.get(o, 0) < rank.get(own, 0))
        weaker = sum(1 for o in others if o in WEAKER_OUTCOMES)
        counts = ", ".join(f"{others.count(o)} {OUTCOME_LABELS.get(o, o).lower()}" for o in OUTCOME_ORDER if o in others)
        differences.insert(0, {"aspect": "outcome", "difference": (
            f"{OUTCOME_LABELS.get(own, own)} here; neighbours: {counts} ({weaker} of {len(others)} weaker; {below} with a weaker outcome "
            f"than here, {above} with a better one)")})
    return {
        "area": G.nodes[node]["label"],
        "region": authority.region,
        "definition": DEFINITION,
        "neighbours_in_graph": [G.nodes[n]["label"] for _, n in present],
        "neighbours_not_in_graph": missing,
        "outcomes": outcomes,
        "themes": theme_rows,
        "differences": differences,
    }

"""The best-first policy on hand-made candidate lists."""

from ale.search import rank, select


def c(id, mean=None, accepted=True, failed=0, parent=None):
    return {"id": id, "rank_key": mean, "accepted": accepted, "failed": failed, "parent_id": parent}


def test_rank_puts_accepted_first_then_fewer_failures():
    assert rank(c(1, 5.0)) > rank(c(2, 1e9, accepted=False, failed=1))
    assert rank(c(3, 1.0, accepted=False, failed=1)) > rank(c(4, 9.0, accepted=False, failed=2))
    assert rank(c(5, 2.0)) > rank(c(6, 1.0))


def test_select_prefers_the_best_without_exploration():
    cands = [c(1, 1.0), c(2, 3.0), c(3, 2.0)]
    assert select(cands, lambda x: True, 0.0)["id"] == 2


def test_exploration_moves_on_from_a_heavily_expanded_node():
    cands = [c(1, 3.0), c(2, 2.9)] + [c(10 + i, 0.0, parent=1) for i in range(12)]
    assert select(cands, lambda x: True, 0.0)["id"] == 1
    assert select(cands, lambda x: True, 0.5)["id"] == 2


def test_select_skips_nodes_the_provider_cannot_expand():
    cands = [c(1, 9.0), c(2, 1.0)]
    assert select(cands, lambda x: x["id"] != 1, 0.5)["id"] == 2
    assert select(cands, lambda x: False, 0.5) is None


def test_a_raced_out_child_is_a_side_step_at_its_estimate_but_never_the_best():
    """Racing stopped #3 after a few seeds, a little behind its parent: its estimated mean over every
    seed ranks it among the nodes to expand (as it would rank had it run every seed), and rank() still
    puts every complete candidate above it. Without an estimate (it failed a seed) it stays last."""
    side = {**c(3, 50.0, parent=1), "flags": ["futile", "raced"], "estimate_key": 9.5}
    cands = [c(1, 10.0), c(2, 2.0), side] + [c(10 + i, 1.0, parent=1) for i in range(6)]
    assert select(cands, lambda x: True, 0.0)["id"] == 1  # the best is still the first choice
    assert select(cands, lambda x: x["id"] != 1, 0.0)["id"] == 3  # then the side step, not the weak #2
    assert select(cands, lambda x: True, 0.5)["id"] == 3  # #1 has been expanded six times
    assert all(rank(x) > rank(side) for x in cands if x is not side)
    blind = {**side, "estimate_key": None}
    assert select([c(1, 10.0), c(2, 2.0), blind], lambda x: x["id"] != 1, 0.0)["id"] == 2

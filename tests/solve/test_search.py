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

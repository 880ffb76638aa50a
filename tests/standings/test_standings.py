"""Rank, performance, percentile and rating: small files written here, numbers worked out by hand from
ALE-Bench's rules (src/ale_bench/data.py), so each expectation says which rule it checks."""

import math

import pytest

from ale import rating as R
from ale import standings as S


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.fixture
def contest(tmp_path):
    """Six rows: a tie at rank 2 (two humans on 900) and the zero-score row last, as ALE-Bench ships."""
    scores = write(tmp_path, "standings_scores.csv", "rank,score\n1,1000\n2,900\n2,900\n4,800\n5,500\n6,0\n")
    perf = write(tmp_path, "performance.csv", "rank,performance\n1,3000\n2,2800\n2,2800\n4,2400\n5,2000\n6,1000\n")
    return S.load_files(scores, perf)


def result(st, total):
    return S.evaluate(st, ["AC"], [total], total)


def test_ranks_against_absolute_totals(contest):
    assert contest.groups() == [(1000, 1, 1), (900, 2, 3), (800, 4, 4), (500, 5, 5), (0, 6, 6)]
    # above first place: rank 1, the first row's performance
    assert (result(contest, 1200)["rank"], result(contest, 1200)["performance"]) == (1, 3000)
    # tied with the two humans on 900: their best rank; performance read at the middle of ranks 2..3
    tie = result(contest, 900)
    assert (tie["rank"], tie["performance_rank"], tie["performance"]) == (2, 2.5, 2800)
    assert (result(contest, 850)["rank"], result(contest, 850)["performance"]) == (4, 2400)
    # any positive score below the last human ranks with the zero-score row, as does 0
    assert (result(contest, 1)["rank"], result(contest, 1)["performance"]) == (6, 1000)
    assert (result(contest, 0)["rank"], result(contest, 0)["performance"]) == (6, 1000)


def test_percentile_is_weibull_over_the_humans(contest):
    assert contest.humans == 6
    assert result(contest, 900)["percentile"] == pytest.approx(100 * 2 / 8)
    assert result(contest, 0)["percentile"] == pytest.approx(100 * 6 / 8)


def test_performance_interpolates_between_table_points():
    # A sparse table: each point sits at (rank + next_rank - 1) / 2 (ALE-Bench's map), the last at its rank.
    table = [(1, 3000), (4, 2400), (6, 1000)]
    assert S.performance_keys(table) == [(2.0, 3000), (4.5, 2400), (6.0, 1000)]
    assert S.performance(table, 4.5) == 2400
    assert S.performance(table, 5) == round(2400 - 1400 * 0.5 / 1.5)  # 1933
    assert S.performance(table, 3) == round(3000 - 600 * 1 / 2.5)  # 2760


def test_above_first_extends_the_first_two_points():
    # First place is a tie of two: its point is at rank 1.5, so rank 1 lies above the table.
    table = [(1, 3000), (1, 3000), (3, 2500), (4, 2000)]
    assert S.performance_keys(table)[:2] == [(1.5, 3000), (3.0, 2500)]
    assert S.performance(table, 1) == round(3000 + 500 * 0.5 / 1.5)  # 3167


def test_below_last_without_zero_row_extends_the_last_two_points(tmp_path):
    scores = write(tmp_path, "s.csv", "rank,score,performance\n1,100,2000\n2,50,1500\n3,20,1000\n")
    st = S.load_files(scores, scores)
    r = result(st, 10)
    assert (r["rank"], r["performance"]) == (4, 500)  # 1500 - 500 * (4 - 2) / (3 - 2)
    assert r["percentile"] == pytest.approx(100 * 4 / 5)


def test_lower_is_better_standings(tmp_path):
    scores = write(tmp_path, "s.csv", "rank,score\n1,10\n2,20\n3,30\n")
    st = S.load_files(scores)
    assert st.higher_is_better is False
    assert S.evaluate(st, ["AC"], [15], 15)["rank"] == 2
    assert S.evaluate(st, ["AC", "WA"], [5, 0], 5)["rank"] == 4  # a failed case: below everyone


# --- relative contests --------------------------------------------------------------------------

def test_relative_scores_per_type():
    assert S.relative_scores("max", 100, [100, 50, -1, 200]) == [50, 25, 0, 100]
    assert S.relative_scores("max", 100, [1, 8]) == [13, 100]  # 12.5 rounds half up
    assert S.relative_scores("min", 100, [50, 100, -1, 25]) == [50, 25, 0, 100]
    # rank: share of the case's submissions beaten (rejected ones count as submitted), ties half
    assert S.relative_scores("rank_max", 100, [10, 20, 20, -1, 30]) == [40, 70, 70, 0, 100]
    assert S.relative_scores("rank_min", 100, [10, 20, 20, -1, 30]) == [100, 70, 70, 0, 40]


@pytest.fixture
def relative_max(tmp_path):
    scores = write(tmp_path, "standings_scores.csv", "rank,score\n1,150\n2,125\n3,50\n4,0\n")
    perf = write(tmp_path, "performance.csv", "rank,performance\n1,2500\n2,2000\n3,1500\n4,500\n")
    rel = write(tmp_path, "relative_results.csv", "private_0,private_1\n100,80\n50,80\n-1,40\n")
    return S.load_files(scores, perf, rel, relative_type="max", relative_max=100, cases=2)


def test_relative_recomputed_with_ours_added(relative_max):
    # Ours 200 then 80: case 0's best becomes ours, so every human drops to 50, 25, 0.
    r = S.evaluate(relative_max, ["AC", "AC"], [200, 80], 280)
    assert r["relative_scores"] == [100, 100] and r["score"] == 200 and r["rank"] == 1
    # A WA case counts 0 for us but stays in the case for everyone else.
    r = S.evaluate(relative_max, ["AC", "WA"], [100, 0], 100)
    assert r["relative_scores"] == [100, 0] and r["rank"] == 3 and r["performance"] == 1500


def test_relative_tie_and_zero(relative_max):
    # 100 and 80: humans total 200, 150, 50 after recomputing; ours 200 ties the first human.
    r = S.evaluate(relative_max, ["AC", "AC"], [100, 80], 180)
    assert (r["score"], r["rank"], r["performance_rank"]) == (200, 1, 1.0)
    # Nothing accepted: the zero-score row of the standings file.
    r = S.evaluate(relative_max, ["WA", "TLE"], [0, 0], 0)
    assert (r["rank"], r["performance"]) == (4, 500)


def test_relative_tie_with_two_humans_reads_the_middle(tmp_path):
    scores = write(tmp_path, "s.csv", "rank,score\n1,200\n1,200\n3,0\n")
    perf = write(tmp_path, "p.csv", "rank,performance\n1,2000\n2,1800\n3,1000\n")
    rel = write(tmp_path, "r.csv", "private_0\n100\n100\n")
    st = S.load_files(scores, perf, rel, relative_type="min", relative_max=100, cases=1)
    r = S.evaluate(st, ["AC"], [100], 100)
    assert (r["rank"], r["performance_rank"], r["performance"]) == (1, 1.5, 1900)


def test_relative_min_contest_with_our_better_score(tmp_path):
    scores = write(tmp_path, "s.csv", "rank,score\n1,200\n2,100\n3,0\n")
    rel = write(tmp_path, "r.csv", "private_0,private_1\n10,20\n20,40\n")
    st = S.load_files(scores, None, rel, relative_type="min", relative_max=100, cases=2)
    # ours 5 and 40: case 0 -> humans 50, 25, ours 100; case 1 -> humans 100, 50, ours 50
    r = S.evaluate(st, ["AC", "AC"], [5, 40], 45)
    assert r["relative_scores"] == [100, 50] and r["score"] == 150 and r["rank"] == 1 and r["performance"] is None


# --- malformed files: file and line in one message ---------------------------------------------

@pytest.mark.parametrize("text, line, words", [
    ("rank,score\n1,100\n2,abc\n", 3, "not an integer"),
    ("rank,points\n1,100\n", 1, "no 'score' column"),
    ("rank,score\n1,100\n0,90\n", 3, "ranks start at 1"),
    ("rank,score\n3,50\n1,100\n2,120\n", 4, "both up and down"),  # sorted by rank first, as ALE-Bench does
    ("rank,score\n1,100\n2,120\n3,90\n", 4, "both up and down"),
    ("rank,score\n1,100,7\n", 2, "3 values"),
])
def test_malformed_standings_name_file_and_line(tmp_path, text, line, words):
    p = write(tmp_path, "standings_scores.csv", text)
    with pytest.raises(S.StandingsError) as e:
        S.load_files(p)
    assert f"{p}:{line}:" in str(e.value) and words in str(e.value) and "\n" not in str(e.value)


def test_malformed_performance_and_relative(tmp_path):
    scores = write(tmp_path, "s.csv", "rank,score\n1,100\n2,0\n")
    perf = write(tmp_path, "p.csv", "rank,performance\n1,1000\n2,1200\n")
    with pytest.raises(S.StandingsError, match=rf"{perf}:3: performance 1200"):
        S.load_files(scores, perf)
    rel = write(tmp_path, "r.csv", "private_0,private_2\n1,2\n")
    with pytest.raises(S.StandingsError, match=rf"{rel}:1: header must be private_0,private_1"):
        S.load_files(scores, None, rel, relative_type="max", relative_max=10, cases=2)
    rel = write(tmp_path, "r.csv", "private_0\n5\n0\n")
    with pytest.raises(S.StandingsError, match=rf"{rel}:3: private_0 is 0"):
        S.load_files(scores, None, rel, relative_type="min", relative_max=10, cases=1)


# --- rating -------------------------------------------------------------------------------------

@pytest.fixture
def schedule(tmp_path):
    return R.read_schedule(write(tmp_path, "schedule.csv", (
        "problem_id,start_at,end_at,weight\n"
        "a,2023-01-01T19:00:00+09:00,2023-01-01T23:00:00+09:00,1.0\n"
        "b,2023-12-25T12:00:00+09:00,2024-01-01T19:00:00+09:00,0.5\n"
        "c,2024-06-01T12:00:00+09:00,2024-06-01T16:00:00+09:00,1.0\n"
        "d,2023-12-25T12:00:00+09:00,2024-01-01T19:00:00+09:00,1.0\n"
    )))


def series(perf: float) -> float:
    """One contest of weight 1 rated on its own day: sum over j of (perf + 150 - S ln j)(R^(j-1) - R^j)."""
    r = R.RATING_R
    return sum((perf + 150 - R.RATING_S * math.log(j)) * (r ** (j - 1) - r ** j) for j in range(1, 101))


def test_rating_one_contest(schedule):
    assert R.rating({"a": 2400}, schedule, "a") == round(series(2400))
    low = series(0)
    assert low < 400 and R.rating({"a": 0}, schedule, "a") == round(400 / math.exp((400 - low) / 400))


def test_rating_decays_100_a_year_and_skips_later_contests(schedule):
    # a ended 365 days before b: its performance counts 100 less, like a 2300 at b's date.
    assert R.rating({"a": 2400}, schedule, "b") == round(series(2300) * 1)  # weight of a is 1
    assert R.rating({"a": 2400, "c": 3000}, schedule, "b") == R.rating({"a": 2400}, schedule, "b")


def test_rating_weights_and_default_final(schedule):
    # Default final: the schedule's last-ending contest (c). A second contest raises the rating,
    # a half-weight one (b) less than a full-weight one on the same dates (d).
    alone = R.rating({"c": 2000}, schedule)
    assert alone == round(series(2000))
    assert alone < R.rating({"c": 2000, "b": 2000}, schedule) < R.rating({"c": 2000, "d": 2000}, schedule)


def test_rating_errors(schedule, tmp_path):
    with pytest.raises(ValueError, match="'zzz' is not in the schedule"):
        R.rating({"zzz": 1000}, schedule)
    bad = write(tmp_path, "bad.csv", "problem_id,start_at,end_at,weight\na,2023-01-01,yesterday,1\n")
    with pytest.raises(S.StandingsError, match=rf"{bad}:2: 'yesterday' is not a date"):
        R.read_schedule(bad)


def test_package_folder_and_its_yaml(tmp_path):
    assert S.load_standings(tmp_path) is None  # no standings/: nothing to rank against
    d = tmp_path / "standings"
    d.mkdir()
    write(d, "standings_scores.csv", "rank,score\n1,300\n2,0\n")
    write(d, "relative_results.csv", "private_0\n7\n")
    write(d, "standings.yaml", "relative_score_type: rank_max\nrelative_max_score: 100\n")
    st = S.load_standings(tmp_path, cases=1)
    assert st.relative_type == "rank_max" and st.relative == [[7]]
    write(d, "standings.yaml", "relative_score_type: median\n")
    with pytest.raises(S.StandingsError, match="standings.yaml: relative_score_type is 'median'"):
        S.load_standings(tmp_path, cases=1)
    write(d, "standings.yaml", "higher_is_better: maybe\n")
    with pytest.raises(S.StandingsError, match="higher_is_better is 'maybe'"):
        S.load_standings(tmp_path, cases=1)

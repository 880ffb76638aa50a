"""Solve defaults live in SolveOptions (ale/options.py); ale/config.py and the shipped ale.yaml agree.

And the merge `ale solve` uses (flags over an earlier run over ale.yaml over the defaults) is a
library function: these call it directly, no CLI."""

import dataclasses
from pathlib import Path

import pytest

from ale import options as O
from ale.config import DEFAULTS, ConfigError, load_config
from judge.yaml_reader import load_yaml

ROOT = Path(__file__).resolve().parents[2]


def _field_defaults() -> dict:
    return {f.name: f.default for f in dataclasses.fields(O.SolveOptions) if f.default is not dataclasses.MISSING}


def _mismatches(yaml_doc: dict) -> list[str]:
    """Every solve default where ale.yaml, config.DEFAULTS and the dataclass do not all agree."""
    fields, bad = _field_defaults(), []
    pairs = [(f"solve.{k}", yaml_doc["solve"].get(k, "<missing>"), DEFAULTS["solve"][k], fields[O.YAML_FIELD.get(k, k)])
             for k in O.YAML_SOLVE]
    pairs += [("judge.jobs", yaml_doc["judge"].get("jobs", "<missing>"), DEFAULTS["judge"]["jobs"], fields["jobs"]),
              ("lessons.budget_chars", yaml_doc["lessons"].get("budget_chars", "<missing>"),
               DEFAULTS["lessons"]["budget_chars"], fields["lesson_chars"]),
              ("solve.provider", yaml_doc["solve"].get("provider"), DEFAULTS["solve"]["provider"], O.DEFAULT_PROVIDER)]
    for key, in_yaml, in_config, in_class in pairs:
        if not (in_yaml == in_config == in_class) or type(in_yaml) is not type(in_class):
            bad.append(f"{key}: ale.yaml {in_yaml!r}, config.DEFAULTS {in_config!r}, SolveOptions {in_class!r}")
    return bad


def test_shipped_ale_yaml_config_defaults_and_solve_options_agree():
    doc = load_yaml(ROOT / "ale.yaml")
    assert _mismatches(doc) == []
    assert set(doc["solve"]) == set(DEFAULTS["solve"])  # no key in one and not the other


@pytest.mark.parametrize("key, value", [("budget", 21), ("race_alpha", 0.1), ("racing", False), ("time", "30m")])
def test_a_drifted_ale_yaml_is_caught(key, value):
    """The check above can fail: change one value of the shipped file and it names it."""
    doc = load_yaml(ROOT / "ale.yaml")
    doc["solve"][key] = value
    bad = _mismatches(doc)
    assert len(bad) == 1 and bad[0].startswith(f"solve.{key}:"), bad


def test_config_defaults_follow_the_dataclass(monkeypatch):
    """config.DEFAULTS is built from the fields: a changed field default changes it (no second copy)."""
    monkeypatch.setattr(O.SolveOptions.__dataclass_fields__["beam"], "default", 9)
    assert O.yaml_defaults()["solve"]["beam"] == 9
    monkeypatch.setattr(O.SolveOptions.__dataclass_fields__["lesson_chars"], "default", 123)
    assert O.yaml_defaults()["lessons"]["budget_chars"] == 123


def cfg_with(tmp_path, text: str) -> dict:
    path = tmp_path / "ale.yaml"
    path.write_text(text)
    return load_config(str(path))


def test_defaults_without_any_ale_yaml_key_are_the_dataclass_defaults(tmp_path):
    opts = O.solve_options(cfg_with(tmp_path, "{}\n"))
    fields = _field_defaults()
    for name in ("budget", "time_budget", "beam", "jobs", "seeds", "use_lessons", "private_top", "private_seeds",
                 "exploration", "lesson_chars", "parallel", "racing", "race_first", "race_alpha", "race_futility", "rejudge_top",
                 "max_cost", "max_tokens", "cluster"):
        assert getattr(opts, name) == fields[name], name
    assert opts.fixed == {} and opts.starts == []


def test_flags_over_earlier_run_over_ale_yaml(tmp_path):
    cfg = cfg_with(tmp_path, "solve: {budget: 7, beam: 3, time: 2m, racing: false, rejudge_top: 1, exploration: 0.9}\n"
                             "judge: {jobs: 2}\nlessons: {budget_chars: 100}\n")
    opts = O.solve_options(cfg)
    assert (opts.budget, opts.beam, opts.time_budget, opts.racing, opts.rejudge_top, opts.jobs, opts.lesson_chars,
            opts.exploration) == (7, 3, 120.0, False, 1, 2, 100, 0.9)
    earlier = {"budget": 30, "beam": 5, "time_budget": None, "racing": True, "rejudge_top": 2, "jobs": 4,
               "fixed": {"T": 1}, "starts": ["a.py"], "use_lessons": False, "exploration": 0.1}
    opts = O.solve_options(cfg, earlier=earlier)
    assert (opts.budget, opts.beam, opts.time_budget, opts.racing, opts.rejudge_top, opts.jobs) == (30, 5, None, True, 2, 4)
    assert opts.fixed == {"T": 1} and opts.starts == ["a.py"] and opts.use_lessons is False
    assert opts.exploration == 0.9  # ale.yaml's, not the earlier run's (as `ale solve --resume` always did)
    opts = O.solve_options(cfg, earlier=earlier, budget=40, beam=1, time_budget=5.0, racing=False, jobs=1,
                           fixed={"T": 2}, starts=["b.py"], use_lessons=True, max_cost=0.5)
    assert (opts.budget, opts.beam, opts.time_budget, opts.racing, opts.jobs) == (40, 1, 5.0, False, 1)
    assert opts.fixed == {"T": 2} and opts.starts == ["b.py"] and opts.use_lessons is True and opts.max_cost == 0.5


def test_a_bad_duration_in_ale_yaml_names_the_file_and_field(tmp_path):
    cfg = cfg_with(tmp_path, "solve: {time: soon}\n")
    with pytest.raises(ConfigError, match=r"ale\.yaml: 'solve\.time': bad time 'soon'"):
        O.solve_options(cfg)
    with pytest.raises(ValueError, match="bad --time 'x'"):
        O.parse_duration("x")
    assert O.parse_duration("1h30m") == 5400 and O.parse_duration("90") == 90


@pytest.mark.parametrize("text, key", [("race_futility: 2", "race_futility"), ("race_alpha: 0", "race_alpha"),
                                       ("race_first: 0", "race_first"), ("race_first: 2.5", "race_first"),
                                       ("race_futility: yes", "race_futility")])
def test_a_racing_setting_out_of_range_names_the_field_and_the_fix(tmp_path, text, key):
    cfg = cfg_with(tmp_path, f"solve: {{{text}}}\n")
    with pytest.raises(ConfigError, match=rf"ale\.yaml: 'solve\.{key}' is .*; give a .*, e\.g\. "):
        O.solve_options(cfg)


def test_a_racing_setting_in_range_is_taken(tmp_path):
    opts = O.solve_options(cfg_with(tmp_path, "solve: {race_futility: 0, race_alpha: 0.1, race_first: 3}\n"))
    assert (opts.race_futility, opts.race_alpha, opts.race_first) == (0, 0.1, 3)


def test_a_racing_setting_out_of_range_is_a_config_error_from_the_cli(tmp_path):
    from typer.testing import CliRunner

    from ale.cli import app

    cfg = tmp_path / "ale.yaml"
    cfg.write_text("solve:\n  race_futility: 5\n")
    r = CliRunner().invoke(app, ["solve", str(Path(__file__).parent / "fixtures" / "bowl"), "--db", str(tmp_path / "a.db")], env={"ALE_CONFIG": str(cfg)})
    assert r.exit_code == 3, r.output
    assert "'solve.race_futility' is 5; give a number in [0, 1), e.g. 0.05" in r.output
    assert "Traceback" not in r.output


def test_provider_choice(tmp_path):
    cfg = cfg_with(tmp_path, "solve: {provider: openai}\n")
    assert O.provider_name(cfg) == "openai"
    assert O.provider_name(cfg, resumed="anthropic") == "anthropic"
    assert O.provider_name(cfg, "offline", resumed="anthropic") == "offline"
    assert O.provider_name(cfg, "offline", replay=True) == "replay"
    assert O.provider_name(cfg_with(tmp_path, "{}\n")) == "auto"


def test_earlier_run_must_exist_and_be_on_this_problem(tmp_path):
    from ale.store import Store

    with Store(tmp_path / "a.db") as store:
        rid = store.create_run("bowl", "offline", {"options": {"budget": 9}})
        assert O.earlier_run(store, rid, "bowl")["config"]["options"] == {"budget": 9}
        with pytest.raises(ConfigError, match=rf"no run 99 in {tmp_path / 'a.db'}; see `ale runs list`"):
            O.earlier_run(store, 99, "bowl")
        with pytest.raises(ConfigError, match=f"run {rid} is for problem 'bowl', not 'other'"):
            O.earlier_run(store, rid, "other")

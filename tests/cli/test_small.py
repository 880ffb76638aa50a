"""Small CLI contracts: --version and -h, keys, --save-outputs naming a file."""

import json
import os
import subprocess
import sys
from pathlib import Path

from ale import __version__

ROOT = Path(__file__).resolve().parents[2]
SUMUP = ROOT / "tests" / "judge" / "fixtures" / "sumup"


def ale(*args, env=None, input=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "ale.cli", *args], capture_output=True, text=True, env=env, input=input, timeout=120)


def test_version_and_short_help():
    r = ale("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"ale {__version__}"
    for args in (["-h"], ["solve", "-h"], ["keys", "set", "-h"]):
        r = ale(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert "Usage:" in r.stdout and "--help" in r.stdout and "-h" in r.stdout


def keys_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ALE_KEYS_FILE", "ANTHROPIC_API_KEY", "OPENAI_API_KEY")}
    return {**env, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}


def run_keys(env, *args, input=None):
    return subprocess.run([sys.executable, "-m", "ale.cli", "keys", *args], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(ROOT)}, input=input, timeout=120)


def test_keys_honour_xdg_and_take_a_piped_key_quietly(tmp_path):
    env = keys_env(tmp_path)
    r = run_keys(env, "list")
    assert r.returncode == 0 and r.stdout.startswith("no keys:"), r.stdout
    assert json.loads(run_keys(env, "list", "--json").stdout)["keys"] == []
    r = run_keys(env, "set", "anthropic", input="sk-piped\n")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no GetPassWarning, no prompt noise
    path = tmp_path / "xdg" / "ale" / "keys.json"
    assert json.loads(path.read_text()) == {"ANTHROPIC_API_KEY": "sk-piped"}
    assert run_keys(env, "path").stdout.strip() == str(path)
    doc = json.loads(run_keys(env, "list", "--json").stdout)
    assert doc == {"path": str(path), "keys": [{"name": "ANTHROPIC_API_KEY", "file": True, "environment": False}]}
    assert "sk-piped" not in json.dumps(doc)


def test_keys_reject_names_that_are_not_variable_names(tmp_path):
    env = keys_env(tmp_path)
    for bad in ("MY-KEY", "1KEY", "my key"):
        r = run_keys(env, "set", bad, "--value", "x")
        assert r.returncode == 2, (bad, r.stderr)
        assert "not an environment variable name" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "xdg" / "ale" / "keys.json").exists()


def test_save_outputs_naming_a_file_is_a_usage_error(tmp_path):
    f = tmp_path / "taken.txt"
    f.write_text("x")
    r = ale("judge", str(SUMUP), str(SUMUP / "solutions" / "baseline.py"), "--seeds", "0",
            "--db", str(tmp_path / "j.db"), "--save-outputs", str(f))
    assert r.returncode == 2, r.stderr
    assert f"{f} is a file" in r.stderr and "Traceback" not in r.stderr
    assert f.read_text() == "x"

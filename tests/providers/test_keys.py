import json
import stat

from typer.testing import CliRunner

from ale import keys
from ale.cli.keys_cmds import app


def test_set_list_path_never_show_values(tmp_path, monkeypatch):
    path = tmp_path / "sub" / "keys.json"
    monkeypatch.setenv("ALE_KEYS_FILE", str(path))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    runner = CliRunner()
    r = runner.invoke(app, ["set", "anthropic", "--value", "sk-secret-1"])
    assert r.exit_code == 0 and "ANTHROPIC_API_KEY" in r.output and "sk-secret" not in r.output
    r = runner.invoke(app, ["set", "MY_GATEWAY_KEY"], input="sk-secret-2\n")
    assert r.exit_code == 0 and "sk-secret" not in r.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"ANTHROPIC_API_KEY": "sk-secret-1", "MY_GATEWAY_KEY": "sk-secret-2"}
    r = runner.invoke(app, ["list"])
    assert "ANTHROPIC_API_KEY" in r.output and "MY_GATEWAY_KEY" in r.output and "sk-secret" not in r.output
    assert runner.invoke(app, ["path"]).output.strip() == str(path)
    assert keys.get_key("ANTHROPIC_API_KEY") == "sk-secret-1"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "from-env")
    assert keys.get_key("anthropic") == "from-env"  # the environment wins
    assert keys.get_key("UNSET_KEY") is None and keys.get_key(None) is None
    assert runner.invoke(app, ["delete", "MY_GATEWAY_KEY"]).exit_code == 0
    assert keys.key_names() == ["ANTHROPIC_API_KEY"]

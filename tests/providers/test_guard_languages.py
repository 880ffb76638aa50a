"""The guard against benchmark hacking knows every language of the table and AtCoder's ONLINE_JUDGE phase."""

from ale import guard

from tests.conftest import SOLS

AOT = '''import sys
if sys.argv[-1] == "ONLINE_JUDGE":
    from numba.pycc import CC
    cc = CC("k")
    @cc.export("f", "i8(i8)")
    def f(x):
        return x + 1
    cc.compile()
    sys.exit(0)
from k import f
print(f(int(sys.stdin.read())))
'''


def test_an_aot_program_passes_and_other_argv_use_does_not():
    assert guard.check(AOT) == []
    assert any("environment" in r for r in guard.check("import sys\nif len(sys.argv) > 1:\n    print(0)\n"))


def test_rust_has_its_own_rules():
    assert guard.check(SOLS.joinpath("good.rs").read_text(), "rs") == []
    assert guard.check("// never std::fs::read here\nfn main() {}\n", "rs") == []  # comments are not code
    reading = 'fn main() { let s = std::fs::read_to_string("in.txt").unwrap(); println!("{}", s); }\n'
    assert any("file" in r for r in guard.check(reading, "rs"))
    assert any("environment" in r for r in guard.check('fn main() { let _ = std::env::var("HOME"); }\n', "rs"))
    assert any("subprocess" in r for r in guard.check('use std::process::Command;\nfn main() { Command::new("ls"); }\n', "rs"))


def test_words_inside_string_literals_are_text_not_code():
    """A message that mentions open( or system( is no reason to reject; a call is, even next to one."""
    assert guard.check('print("open(input) failed, os.environ unset")\n') == []
    assert guard.check('n = 3\nprint(f"subprocess.run({n})")\n') == []
    assert any("file" in r for r in guard.check('print("open(")\nf = open("answers.txt")\n'))
    assert guard.check('int main(){ puts("fopen( \\" system( is text"); }\n', "cpp") == []
    assert any("subprocess" in r for r in guard.check("int main(){ char q = '\"'; system(\"ls\"); }\n", "cpp"))
    assert guard.check('fn main() { println!("no std::fs:: here"); }\n', "rs") == []
    # A path is what a string names: /proc/ inside a literal still counts.
    assert any("environment" in r for r in guard.check('s = "/proc/self/status"\n'))


def test_code_built_from_strings_is_rejected():
    """Hiding a call in a string (exec, eval, getattr on builtins) would slip past every rule."""
    for src in ('exec("op" + "en(1)")\n', 'f = getattr(__builtins__, "op" + "en")\n', 'm = __import__("o" + "s")\n'):
        assert any("built from strings" in r for r in guard.check(src)), src

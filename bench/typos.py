"""Realistic typos of common Swedish query words: the list bench/spell_bench.py times the
spelling suggestion ("Menade du") on, and bench/page_cpu.py --typos requests as whole results
pages. A plain module of data, so that a ``git archive`` of older code can take it beside
page_cpu.py (bench/spell_bench.py imports kb.search.spell_table, which older code lacks).
"""

TYPOS = (
    "digitalisring", "informationsäkerhet", "bygglv", "valfardsteknik", "e-tjanst",
    "dataskyddsforordningen", "kommmun", "digitalsiering", "forvaltning", "bredbnad",
    "upphandlnig", "arkivering", "miljoo", "skolan", "hallbarhet", "socialtjanst",
)  # fmt: skip

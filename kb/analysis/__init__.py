"""Swedish analysis: tokenise, normalise, stop words, stem, decompound, fold (kb.analysis.analyzer).

The filter classes are re-exported here because Whoosh pickles them into every index under their
module path, and indexes built before the package split name them ``kb.analysis.SvTokenizer`` etc.
"""

from kb.analysis.analyzer import SvNormalizeFilter, SvStopFilter, SvTermsFilter, SvTokenizer

__all__ = ["SvNormalizeFilter", "SvStopFilter", "SvTermsFilter", "SvTokenizer"]

"""Issue 15, part 2: the searcher's memo tables are bounded LRUs (they grew without limit)."""
import random

from search.lru import LRU
from search.searcher import Searcher


def test_lru_keeps_the_most_recently_used():
    c = LRU(3)
    for k in "abc":
        c.put(k, k.upper())
    assert c.get("a") == "A"          # a is now the most recent
    c.put("d", "D")                   # so b goes
    assert "b" not in c and len(c) == 3
    assert c.get("b", "?") == "?" and c.get("a") == "A" and c.get("d") == "D"


def test_searcher_caches_stay_within_their_bounds(instance_dir):
    s = Searcher(instance_dir)
    s._idf_cache.maxsize = s._postings.maxsize = 200
    rng = random.Random(3)
    for _ in range(300):
        words = ["".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(3)) for _ in range(6)]
        s.search(" ".join(words) + " 육아휴직", snippets=True)
    assert len(s._idf_cache) <= 200 and len(s._postings) <= 200
    assert len(s._span_cache) <= Searcher.SPAN_CACHE
    # a frequent term is still cached after all that traffic
    assert s._idf_cache.get(s.terms("육아휴직")[0]) is not None
    s.close()

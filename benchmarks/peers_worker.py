"""The peers' side of benchmarks/peers.py, run in the peer environment (benchmarks/.peers/venv),
never in keikaku's: GiNZA 5.3 needs SudachiPy < 0.7.

    benchmarks/.peers/venv/bin/python benchmarks/peers_worker.py TEXTS [--rounds N]

TEXTS holds one text unit a line (the units keikaku tokenizes). The worker loads GiNZA
(``spacy.load("ja_ginza")``) and fugashi with unidic-lite once, prints one JSON line
(``{"ready": ...}``: versions, load seconds), then answers commands read from standard input, one
JSON line each, so that the caller can interleave its own rounds with the peers' rounds:

- ``tokens``: CPU seconds of (a) GiNZA's tokenizer alone (``nlp.tokenizer``) and (c) fugashi, on
  all the texts;
- ``pipeline K``: CPU seconds of (b) GiNZA's full pipeline (``nlp.pipe``) on the first K texts.

With ``--rounds N`` it runs N rounds of both on its own (no standard input) and prints one JSON
line of medians. Each measure reads per token what keikaku reads (GiNZA: normalized form, POS,
end offset; fugashi: surface, lemma, POS).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from importlib import metadata


def read_ginza(docs) -> int:
    """Read per token the fields keikaku reads: normalized form, POS, end offset."""
    n = 0
    for doc in docs:
        for token in doc:
            token.norm_
            token.pos_
            token.idx + len(token.text)
            n += 1
    return n


def read_fugashi(tagger, texts: list[str]) -> int:
    n = 0
    for text in texts:
        for word in tagger(text):
            word.surface
            word.feature.lemma
            word.feature.pos1
            n += 1
    return n


def cpu(fn, *args) -> tuple[float, float, int]:
    """CPU seconds of this process (all its threads), wall seconds, and the value of one call."""
    gc.collect()
    start, wall = time.process_time(), time.perf_counter()
    value = fn(*args)
    return time.process_time() - start, time.perf_counter() - wall, value


class Peers:
    def __init__(self) -> None:
        start = time.process_time()
        import fugashi
        import spacy

        self.nlp = spacy.load("ja_ginza")
        self.tagger = fugashi.Tagger()  # finds unidic-lite's dictionary when it is installed
        self.nlp("準備。")  # warm: dictionary pages, model weights
        self.tagger("準備。")
        self.load_s = time.process_time() - start

    def ready(self) -> dict:
        versions = {name: metadata.version(name) for name in
                    ("ginza", "ja-ginza", "spacy", "sudachipy", "sudachidict-core", "fugashi", "unidic-lite")}
        return {"ready": True, "load_cpu_s": round(self.load_s, 3), "versions": versions,
                "split_mode": str(getattr(self.nlp.tokenizer, "split_mode", None)),
                "pipeline": list(self.nlp.pipe_names), "python": sys.version.split()[0]}

    def tokens(self, texts: list[str]) -> dict:
        tokenizer = self.nlp.tokenizer
        g_cpu, g_wall, g_n = cpu(lambda: read_ginza(tokenizer(t) for t in texts))
        f_cpu, f_wall, f_n = cpu(read_fugashi, self.tagger, texts)
        return {"ginza_tokens_s": g_cpu, "ginza_tokens_wall_s": g_wall, "ginza_tokens": g_n,
                "fugashi_tokens_s": f_cpu, "fugashi_tokens_wall_s": f_wall, "fugashi_tokens": f_n}

    def pipeline(self, texts: list[str]) -> dict:
        p_cpu, p_wall, p_n = cpu(lambda: read_ginza(self.nlp.pipe(texts)))
        return {"ginza_pipeline_s": p_cpu, "ginza_pipeline_wall_s": p_wall, "ginza_pipeline_tokens": p_n,
                "texts": len(texts), "chars": sum(map(len, texts))}

    def answer(self, command: str, texts: list[str]) -> dict:
        word, _, count = command.partition(" ")
        if word == "tokens":
            return self.tokens(texts)
        if word == "pipeline":
            return self.pipeline(texts[:int(count)] if count else texts)
        return {"error": f"unknown command {command!r}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", help="a file of text units, one a line")
    parser.add_argument("--rounds", type=int, help="run this many rounds alone and print their medians")
    args = parser.parse_args(argv)
    with open(args.texts, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    peers = Peers()
    print(json.dumps(peers.ready()), flush=True)
    if args.rounds:
        rounds = [{**peers.tokens(texts), **peers.pipeline(texts)} for _ in range(args.rounds)]
        print(json.dumps({k: statistics.median(r[k] for r in rounds) for k in rounds[0]}), flush=True)
        return 0
    for line in sys.stdin:
        if line.strip() in ("", "quit"):
            break
        print(json.dumps(peers.answer(line.strip(), texts)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

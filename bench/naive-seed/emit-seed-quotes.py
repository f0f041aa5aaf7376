#!/usr/bin/env python3
"""Prints the naive seed's own quote sequence (its quotes() generator, imported unchanged from
naive-seed-baseline.py next to this file), one JSON object per line, exactly as the seed serialises each quote
before it base64-encodes it. The benchmark converts these lines to the project's stream contract.

Usage: emit-seed-quotes.py RECORDS SYMBOLS"""
import importlib.util, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("naive_seed", os.path.join(here, "naive-seed-baseline.py"))
seed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(seed)  # the module only defines functions; main() runs under __main__ only
n, symbols = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
for q in seed.quotes(n, symbols):
    out.write(json.dumps(q))
    out.write("\n")

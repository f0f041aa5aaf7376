#!/usr/bin/env python3
"""Runs naive-seed-baseline.py (next to this file, unmodified) with the loopback servers' credentials.

The seed hard-codes aws_access_key_id="test" / aws_secret_access_key="test"; the project's S3Proxy
(dev.quotestream.testing.LoopbackAws, the one loopback harness) checks signatures against its own key pair. This
wrapper replaces only those two keyword arguments of boto3.client / boto3.resource with BENCH_ACCESS_KEY /
BENCH_SECRET_KEY from the environment, then runs the seed as __main__ with the same arguments. Nothing else changes:
same calls, same endpoints, same output.

Usage: run-seed.py <the seed's own arguments>"""
import os, runpy, sys
import boto3

here = os.path.dirname(os.path.abspath(__file__))
seed = os.path.join(here, "naive-seed-baseline.py")
keys = dict(aws_access_key_id=os.environ["BENCH_ACCESS_KEY"], aws_secret_access_key=os.environ["BENCH_SECRET_KEY"])
_client, _resource = boto3.client, boto3.resource


def client(*args, **kwargs):
    kwargs.update(keys)
    return _client(*args, **kwargs)


def resource(*args, **kwargs):
    kwargs.update(keys)
    return _resource(*args, **kwargs)


boto3.client, boto3.resource = client, resource
sys.argv = [seed] + sys.argv[1:]
runpy.run_path(seed, run_name="__main__")

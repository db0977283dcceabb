#!/usr/bin/env python3
"""Reads a Prometheus text exposition on stdin with prometheus_client's own parser and prints the
value of one sample: `metrics_sample.py NAME [label=value ...]` (0 when the sample is absent, so a
counter that has not moved yet reads 0). Exits 1 if the text does not parse."""
import sys

from prometheus_client.parser import text_string_to_metric_families

name = sys.argv[1]
wanted = dict(arg.split("=", 1) for arg in sys.argv[2:])
try:
    families = list(text_string_to_metric_families(sys.stdin.read()))
except Exception as error:  # a parse error is what this helper exists to catch
    print(f"unparseable exposition: {error}", file=sys.stderr)
    sys.exit(1)
value = 0.0
for family in families:
    for sample in family.samples:
        if sample.name == name and all(sample.labels.get(k) == v for k, v in wanted.items()):
            value += sample.value
print(int(value) if value.is_integer() else value)

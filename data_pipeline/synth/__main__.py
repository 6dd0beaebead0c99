"""python -m data_pipeline.synth --people N --seed S --out DIR [--counties K] [--noise-scale F]
[--admin-error-scale F] [--admin-rate KIND=RATE ...]"""

from __future__ import annotations

import argparse
import time
from dataclasses import fields
from pathlib import Path

from data_pipeline.synth.extracts import AdminErrorRates
from data_pipeline.synth.generate import DEFAULT_COUNTY, county_codes, generate

KINDS = [f.name for f in fields(AdminErrorRates)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline.synth", description=__doc__)
    parser.add_argument("--people", type=int, required=True, help="number of people in the county (or all counties)")
    parser.add_argument("--seed", type=int, required=True, help="same seed, same bytes")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for the sources; truth goes to OUT/ground_truth"
    )
    parser.add_argument(
        "--counties", type=int, default=1, help="split the people over this many counties (one folder each)"
    )
    parser.add_argument(
        "--county",
        type=int,
        default=DEFAULT_COUNTY,
        help="6-digit code of the (first) county, one of 楚雄州's (default 532326 大姚县)",
    )
    parser.add_argument(
        "--noise-scale", type=float, default=1.0, help="multiply every formatting-noise rate (0 = clean)"
    )
    parser.add_argument("--admin-error-scale", type=float, default=1.0,
                        help="multiply every administrative-error rate (0 = registers that hold the truth)")
    parser.add_argument("--admin-rate", action="append", default=[], metavar="KIND=RATE",
                        help=f"set one administrative-error rate (after the scale); kinds: {', '.join(KINDS)}")
    args = parser.parse_args(argv)
    admin_rates = {}
    for item in args.admin_rate:
        kind, _, rate = item.partition("=")
        if kind not in KINDS:
            parser.error(f"--admin-rate {item}: unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
        try:
            admin_rates[kind] = float(rate)
        except ValueError:
            parser.error(f"--admin-rate {item}: {rate!r} is not a number")
    started = time.perf_counter()
    try:
        county_codes(args.county, args.counties)
    except ValueError as e:
        parser.error(str(e))
    generate(args.out, args.people, args.seed, args.counties, args.county, args.noise_scale, args.admin_error_scale,
             admin_rates)
    print(f"wrote {args.people} people in {args.counties} county folder(s) to {args.out} "
          f"in {time.perf_counter() - started:.1f} s (ground truth in {args.out / 'ground_truth'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

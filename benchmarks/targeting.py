"""Targeting accuracy when the administrative data are wrong: python benchmarks/targeting.py [--people N] [--seed S]

Generates a synthetic county twice (cached under data/bench/): with the generator's default, realistic
administrative errors, and with every error rate doubled (formatting noise at its default both times).
Runs the pipeline on both and prints, against the generator's latent truth:

- exclusion and inclusion error of admission, verified households counted as neither (data_pipeline/accuracy.py),
  and the share sent to verification (入户核查), at the default and at twice the error rates;
- the naive all-sources join (every source joined on the IDs as typed, no cleaning, no triangulation);
- the proxy-means test out of sample (fitted on seed 101, see the policy's pmt.training): AUC of the
  score for "true income below the line" and its Spearman rank correlation with true income per capita;
- exit error, monitoring recall and root-cause top-1 (and set) accuracy.

The last line is one JSON object with the keys exclusion_error, inclusion_error, verify_share,
exclusion_error_2x, inclusion_error_2x, naive_join_inclusion_error, pmt_auc, pmt_spearman, exit_error,
monitor_recall, root_cause_top1 (and a few more).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govchain.localnode import use_project_tools  # noqa: E402

use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand

from scipy.stats import spearmanr  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from data_pipeline import accuracy, baseline  # noqa: E402
from data_pipeline import policy as policy_mod  # noqa: E402
from data_pipeline.run import run  # noqa: E402
from data_pipeline.synth.generate import generate  # noqa: E402


def county(cache: Path, people: int, seed: int, scale: float) -> Path:
    sources = cache / f"targeting-{people}-seed{seed}-admin{scale:g}"
    if not (sources / "ground_truth" / "households.parquet").exists():
        print(f"generating {people:,} people (administrative errors x{scale:g}) into {sources} ...", flush=True)
        shutil.rmtree(sources, ignore_errors=True)
        generate(sources, people, seed, admin_error_scale=scale)
    return sources


def measure(sources: Path, out: Path) -> tuple[dict, dict]:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    run(sources, out, show=False)
    print(f"  pipeline run on {sources.name}: {time.perf_counter() - started:.1f} s", flush=True)
    truth = accuracy.truth_eligibility(sources)
    ours = accuracy.errors(accuracy.pipeline_eligibility(out), truth, accuracy.pipeline_verify(out))
    return ours, accuracy.model_errors(sources, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="evaluation seed (the PMT was fitted on seed 101)")
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "bench")
    args = parser.parse_args()
    policy = policy_mod.load()

    default = county(args.cache, args.people, args.seed, 1.0)
    doubled = county(args.cache, args.people, args.seed, 2.0)
    ours, models = measure(default, args.cache / f"targeting-run-{args.people}-seed{args.seed}-admin1")
    ours2, models2 = measure(doubled, args.cache / f"targeting-run-{args.people}-seed{args.seed}-admin2")
    truth = accuracy.truth_eligibility(default)
    naive = accuracy.errors(baseline.naive_join_eligibility(default, policy), truth)
    census_only = accuracy.errors(baseline.eligibility(default, policy), truth)

    truth_h = accuracy.truth_households(default)
    scored = truth_h.join(
        accuracy.pipeline_households(args.cache / f"targeting-run-{args.people}-seed{args.seed}-admin1", ["score"]),
        how="inner",
    )
    below = scored["income_pc"] < policy.line
    pmt_auc = float(roc_auc_score(below, -scored["score"].astype(float)))
    pmt_spearman = float(spearmanr(scored["score"].astype(float), scored["income_pc"]).statistic)

    def line(label: str, e: dict) -> str:
        return (f"{label:<38} exclusion {e['exclusion_error']:7.3%}  inclusion {e['inclusion_error']:7.3%}  "
                f"verify {e['verify_share']:6.2%}  ({e['eligible']:,} eligible decided, {e['admitted']:,} admitted)")

    print(f"\n{args.people:,} people, seed {args.seed}, policy {policy.version}")
    print(line("pipeline, default administrative errors", ours))
    print(line("pipeline, twice the error rates", ours2))
    print(line("naive join of all ten sources", naive))
    print(line("census only, no cleaning", census_only))
    print(f"PMT out of sample (fitted on seed {policy['pmt'].get('training', {}).get('seed', '?')}): "
          f"AUC {pmt_auc:.3f}, Spearman {pmt_spearman:.3f} (training R² {policy['pmt'].get('fit', {}).get('r2', '?')})")
    print(
        f"exit error {models['exit_error']:.3%} over {models['registered']:,} registered "
        f"({models['exit_true']:,} true exits); "
        f"monitoring recall {models['monitor_recall']:.3f} over {models['at_risk']:,} at risk; "
        f"root cause top-1 {models['root_cause_top1']:.3f}, set {models['root_cause_set']:.3f}"
    )
    print(json.dumps({
        "people": args.people,
        "exclusion_error": round(ours["exclusion_error"], 6),
        "inclusion_error": round(ours["inclusion_error"], 6),
        "verify_share": round(ours["verify_share"], 6),
        "exclusion_error_2x": round(ours2["exclusion_error"], 6),
        "inclusion_error_2x": round(ours2["inclusion_error"], 6),
        "verify_share_2x": round(ours2["verify_share"], 6),
        "naive_join_exclusion_error": round(naive["exclusion_error"], 6),
        "naive_join_inclusion_error": round(naive["inclusion_error"], 6),
        "census_only_inclusion_error": round(census_only["inclusion_error"], 6),
        "pmt_auc": round(pmt_auc, 4),
        "pmt_spearman": round(pmt_spearman, 4),
        "exit_error": round(models["exit_error"], 6),
        "monitor_recall": round(models["monitor_recall"], 4),
        "root_cause_top1": round(models["root_cause_top1"], 4),
        "root_cause_set": round(models["root_cause_set"], 4),
        "monitor_recall_2x": round(models2["monitor_recall"], 4),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

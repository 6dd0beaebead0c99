"""The proxy-means test (PMT): log per-capita consumption predicted from what a household has and is,
not from what it says it earns, as the World Bank's PMT practice does it.

The model is an ordinary least-squares regression (scikit-learn) of log per-capita consumption (the
consumption survey's total spend) on observable proxies: household size and dependants, disability and
chronic illness, land, housing, durable assets, schooling, savings, business, overdue debt, and the
village's mean durables (a community indicator for region). It is fitted once on one synthetic county
(``python -m data_pipeline.pmt fit``), its coefficients, fit (R², RMSE on the training sample) and the
training seed are written into a new version of the policy file and released; the pipeline only
applies them (models.pmt_score). Features are computed from the pipeline's own household table, so the
model is fitted on exactly what it will later see.

    python -m data_pipeline.pmt fit --people 60000 --seed 101 --version 2026.2 \\
        --base data_pipeline/policies/policy-2026.1.json --out data_pipeline/policies/policy-2026.2.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

FEATURES = [
    "log_members", "dependency_ratio", "disabled_share", "chronic_share", "land_mu_per_capita", "unsafe_house",
    "has_business", "log1p_balance_per_capita", "overdue", "mean_education", "durables", "village_durables",
]


def features(h: pd.DataFrame) -> pd.DataFrame:
    """The PMT's proxies for each household of a pipeline household table (missing values filled with
    neutral defaults so that every household gets a score)."""
    m = h["members"].astype(float)
    durables = h["durables"].astype(float) if "durables" in h else pd.Series(np.nan, index=h.index)
    village = durables.groupby(h["region"]).transform("mean") if "region" in h else durables
    return pd.DataFrame(
        {
            "log_members": np.log(m),
            "dependency_ratio": h["dependants"] / m,
            "disabled_share": h["disabled"] / m,
            "chronic_share": h["chronic"] / m,
            "land_mu_per_capita": h["land_mu"].astype(float).fillna(0) / m,
            "unsafe_house": h["housing_unsafe"].astype("float64").fillna(0),
            "has_business": (h["business"] > 0).astype("float64"),
            "log1p_balance_per_capita": np.log1p(h["balance"].clip(lower=0) / m),
            "overdue": h["overdue"].astype("float64"),
            "mean_education": (h["mean_education"].astype(float) if "mean_education" in h
                               else pd.Series(np.nan, index=h.index)).fillna(7.0),
            "durables": durables.fillna(durables.median() if durables.notna().any() else 3.0),
            "village_durables": village.fillna(village.median() if village.notna().any() else 3.0),
            # Kept so that policy 2026.1's hand-set weights still apply; never fitted (it is the target).
            "log1p_spend_per_capita": np.log1p(h["total_spend"].fillna(0).clip(lower=0) / m),
        },
        index=h.index,
    )


def predict_log(h: pd.DataFrame, pmt: dict) -> np.ndarray:
    """Predicted log per-capita consumption from the policy's ``pmt`` section."""
    x = features(h)
    return (pmt["intercept"] + sum(w * x[name] for name, w in pmt["weights"].items())).to_numpy(dtype=float)


def fit(h: pd.DataFrame) -> dict:
    """Fits the PMT on households with a consumption record. Returns the policy's ``pmt`` section
    (without the training seed, which the caller knows)."""
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_squared_error, r2_score

    consumption_pc = h["total_spend"] / h["members"]
    ok = consumption_pc.notna() & (consumption_pc > 0)
    x = features(h)[FEATURES][ok]
    y = np.log(consumption_pc[ok].to_numpy(dtype=float))
    model = LinearRegression().fit(x.to_numpy(), y)
    predicted = model.predict(x.to_numpy())
    return {
        "target": "log per-capita consumption (consumption survey total_spend / members)",
        "method": "OLS, scikit-learn LinearRegression",
        "intercept": round(float(model.intercept_), 6),
        "weights": {name: round(float(w), 6) for name, w in zip(FEATURES, model.coef_)},
        "fit": {
            "r2": round(float(r2_score(y, predicted)), 4),
            "rmse": round(float(np.sqrt(mean_squared_error(y, predicted))), 4),
            "households": int(ok.sum()),
        },
    }


def training_households(people: int, seed: int) -> pd.DataFrame:
    """A synthetic county generated and taken through the pipeline up to its household table."""
    from data_pipeline import households
    from data_pipeline import policy as policy_mod
    from data_pipeline.run import clean, ingest_all, link_households
    from data_pipeline.synth.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "county", people, seed)
        items = ingest_all(folder)
        clean(items)
        policy = policy_mod.load()
        persons = households.build_persons(items, policy)
        link_households(items, persons)
        return households.build_households(persons, items, policy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline.pmt")
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fit", help="fit the PMT on a synthetic county and write a new policy version")
    f.add_argument("--people", type=int, default=60000)
    f.add_argument("--seed", type=int, default=101, help="training seed (the benchmark evaluates on other seeds)")
    f.add_argument("--base", type=Path, required=True, help="policy file whose other rules are kept")
    f.add_argument("--version", required=True, help="version of the new policy")
    f.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    from data_pipeline import policy as policy_mod

    section = fit(training_households(args.people, args.seed))
    section["training"] = {"generator": "data_pipeline.synth", "people": args.people, "seed": args.seed}
    rules = json.loads(args.base.read_text(encoding="utf-8"))
    rules["version"] = args.version
    rules["pmt"] = section
    args.out.write_text(json.dumps(rules, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    policy_mod.release(args.out)
    print(f"PMT fitted on {section['fit']['households']:,} households (seed {args.seed}): R² {section['fit']['r2']}, "
          f"RMSE {section['fit']['rmse']}; policy {args.version} written to {args.out} and released")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

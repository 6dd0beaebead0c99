"""Generates a synthetic county (or several) into a folder: sources plus ground truth apart."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from data_pipeline.synth import contacts as contacts_mod
from data_pipeline.synth import extracts, noise, planning, population, truth, writer
from data_pipeline.synth import rules as rules_mod

DEFAULT_COUNTY = 532326
TRUTH_FOLDER = "ground_truth"  # never read by the pipeline
# Counties of 楚雄彝族自治州 (GB/T 2260), the prefecture the synthetic province is drawn in: codes are
# taken in this order from the first county asked for, so every code exists.
CHUXIONG_COUNTIES = [532326, 532327, 532328, 532329, 532301, 532302, 532322, 532323, 532324, 532325]


def county_codes(first: int, count: int) -> list[int]:
    """``count`` distinct county codes, ``first`` and the next ones of the prefecture."""
    if first not in CHUXIONG_COUNTIES:
        raise ValueError(f"--county {first}: counties are drawn from {CHUXIONG_COUNTIES} (楚雄州, GB/T 2260)")
    order = CHUXIONG_COUNTIES[CHUXIONG_COUNTIES.index(first):] + CHUXIONG_COUNTIES[: CHUXIONG_COUNTIES.index(first)]
    if count > len(order):
        raise ValueError(f"at most {len(order)} counties can be drawn (the prefecture has no more)")
    return order[:count]


def generate_county(folder: Path, people: int, seed: int, county: int = DEFAULT_COUNTY,
                    rates: noise.NoiseRates = noise.NoiseRates(),
                    admin_rates: extracts.AdminErrorRates = extracts.AdminErrorRates(), rules: dict | None = None,
                    taken: np.ndarray | None = None) -> dict[str, pd.DataFrame]:
    """Writes one county's ten sources and its village designation list into ``folder``; returns its truth
    tables (not written).
    ``taken``: ID bodies already given to people of other counties."""
    rules = rules or rules_mod.load()
    rng = np.random.default_rng(np.random.SeedSequence([seed, county]))
    pop = population.build(rng, people, county, rules, taken)
    villages = np.unique(pop.households["region"].to_numpy())
    folder.mkdir(parents=True, exist_ok=True)
    logs = []
    frames, admin_log = extracts.build(rng, pop, admin_rates)
    # A stream of their own: the contact details leave every other byte of the county as it was.
    contacts = contacts_mod.draw(np.random.default_rng(np.random.SeedSequence([seed, county, contacts_mod.STREAM])),
                                 pop.persons["id_number"])
    for name, frame in frames.items():
        csv = writer.DELIVERY[name][0] == "csv"
        noisy, log = noise.inject(rng, name, frame, csv, villages, rates)
        writer.write(contacts_mod.attach(noisy, name, contacts), folder, name)
        logs.append(log)
    planning.write(villages, folder)  # the county's planning records, beside the sources
    persons = pop.persons.drop(columns=["household", "member"]).copy()
    persons["phone"] = contacts["phone"].to_numpy()
    persons["bank_account"] = contacts["bank_account"].to_numpy()
    households = truth.judge(pop.households, rules)
    households.insert(0, "county", county)
    persons.insert(0, "county", county)
    log = pd.concat(logs, ignore_index=True)
    log.insert(0, "county", county)
    admin_log.insert(0, "county", county)
    return {"households": households, "persons": persons, "noise_log": log, "admin_log": admin_log}


def generate(
    out: Path,
    people: int,
    seed: int,
    counties: int = 1,
    first_county: int = DEFAULT_COUNTY,
    noise_scale: float = 1.0,
    admin_error_scale: float = 1.0,
    admin_rates: dict[str, float] | None = None,
) -> Path:
    """Writes the sources into ``out`` (one folder per county when ``counties`` > 1) and the truth into
    ``out/ground_truth``. ``admin_rates`` sets single administrative-error rates (after the scale).
    The same arguments give the same bytes."""
    out = Path(out)
    rates = noise.NoiseRates().scaled(noise_scale)
    admin = dataclasses.replace(extracts.AdminErrorRates().scaled(admin_error_scale), **(admin_rates or {}))
    truths: dict[str, list[pd.DataFrame]] = {}
    codes = county_codes(first_county, counties)
    shares = np.full(counties, people // counties)
    shares[: people % counties] += 1
    taken = np.empty(0, dtype=np.int64)
    for code, share in zip(codes, shares):
        folder = out if counties == 1 else out / str(code)
        for key, frame in generate_county(folder, int(share), seed, code, rates, admin, taken=taken).items():
            truths.setdefault(key, []).append(frame)
        taken = np.concatenate([taken, truths["persons"][-1]["id_number"].str.slice(0, 17).astype("int64").to_numpy()])
    truth_dir = out / TRUTH_FOLDER
    truth_dir.mkdir(parents=True, exist_ok=True)
    for key, frames in truths.items():
        pd.concat(frames, ignore_index=True).to_parquet(truth_dir / f"{key}.parquet", index=False, compression="zstd")
    return out

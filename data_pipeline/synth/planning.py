"""The county's village designation list (planning records, not one of the ten sources): which villages are on
the traditional-village list, which lie in a hazard zone, and each village's road distance to the county seat.

Synthetic and deterministic (no random draw, so the ten sources' bytes do not change with it), laid out so a
county of four or more villages shows every village class: the first township is the county seat's (its
villages 2 km apart, from 2 km), the others lie 8 km further per township; the first township's last village
is in a hazard zone and the last township's last village is a traditional village.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "village_designations.csv"  # read by the pipeline beside the sources (data_pipeline/village_classes.py)


def designations(villages) -> pd.DataFrame:
    codes = sorted(int(v) for v in villages)
    townships = sorted({c // 1000 for c in codes})
    rows = []
    for code in codes:
        t = townships.index(code // 1000)
        rank = [c for c in codes if c // 1000 == code // 1000].index(code)
        rows.append({"region": code, "traditional_village": 0, "hazard_zone": 0,
                     "distance_to_county_km": 2.0 + 2.0 * rank if t == 0 else 8.0 * t + 2.0 * rank})
    frame = pd.DataFrame(rows)
    if len(codes) >= 3:
        first = [c for c in codes if c // 1000 == townships[0]]
        last = [c for c in codes if c // 1000 == townships[-1]]
        frame.loc[frame.region == first[-1], "hazard_zone"] = 1
        frame.loc[frame.region == last[-1], "traditional_village"] = 1
    return frame


def write(villages, folder: Path) -> Path:
    path = Path(folder) / FILE
    designations(villages).to_csv(path, index=False, float_format="%.1f")
    return path

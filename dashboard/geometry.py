"""Region geometry generated from the codes themselves, so maps need no internet tiles and no shipped files.

A schematic tile map: one square per village, townships as rows (in code order), villages in a township as
columns. It shows where values concentrate within a county without pretending to real boundaries.
"""

from __future__ import annotations

import pandas as pd

from govchain import regions


def tile_layout(codes) -> pd.DataFrame:
    """``region, township, x, y`` for each village code: x = its rank in its township, y = the township's rank
    (top row first)."""
    frame = pd.DataFrame({"region": sorted({int(c) for c in codes})})
    frame["township"] = [regions.ancestor_at(c, regions.RegionLevel.TOWNSHIP) for c in frame.region]
    townships = sorted(frame.township.unique())
    frame["y"] = frame.township.map({t: -i for i, t in enumerate(townships)})
    frame["x"] = frame.groupby("township").cumcount()
    return frame

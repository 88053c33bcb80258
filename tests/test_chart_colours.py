"""The chart colours stay apart for colour-blind readers (simulated), not only for everyone else.

Each rating colour (and "not rated yet") is passed through the Machado, Oliveira & Fernandes
(2009) simulation of protanopia, deuteranopia and tritanopia at full severity; every pair must
stay at least MIN_DELTA_E apart in CIELAB (CIE76). Hatches tell them apart in grey as well.
"""

import itertools

import numpy as np
import pytest

from plkit import charts

MIN_DELTA_E = 15.0  # CIE76; about 2.3 is a just-noticeable difference
MACHADO_2009 = {  # linear RGB, severity 1.0
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
    "typical vision": np.eye(3).tolist(),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(colour: str) -> np.ndarray:
    c = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def cielab(rgb: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ np.clip(rgb, 0, 1) / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", MACHADO_2009)
def test_rating_colours_stay_apart(framework, vision):
    styles = charts.rating_styles(framework)
    seen = {key: cielab(np.array(MACHADO_2009[vision]) @ linear_rgb(style["color"]))
            for key, style in styles.items()}
    close = {f"{a} / {b}": round(float(np.linalg.norm(seen[a] - seen[b])), 1)
             for a, b in itertools.combinations(seen, 2)
             if np.linalg.norm(seen[a] - seen[b]) < MIN_DELTA_E}
    assert not close, f"with {vision}, these chart colours look alike (delta E): {close}"

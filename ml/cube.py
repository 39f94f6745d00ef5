"""Adobe/IRIDAS .cube 3D LUTs (Lightroom, Photoshop, Premiere, DaVinci Resolve, CapCut)."""

from pathlib import Path

import numpy as np

from ml.errors import MLError


def write_cube(table: np.ndarray, path: str | Path, title: str) -> None:
    """Write a table (S, S, S, 3) indexed [b, g, r] with values in [0, 1]; red varies fastest."""
    size = table.shape[0]
    safe_title = title.replace('"', "'").replace("\n", " ")
    lines = [f'TITLE "{safe_title}"', f"LUT_3D_SIZE {size}", "DOMAIN_MIN 0.0 0.0 0.0",
             "DOMAIN_MAX 1.0 1.0 1.0"]  # fmt: skip
    rows = np.clip(table.reshape(-1, 3), 0.0, 1.0)
    lines += [f"{r:.6f} {g:.6f} {b:.6f}" for r, g, b in rows]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(lines) + "\n", encoding="ascii")


def read_cube(path: str | Path) -> np.ndarray:
    """Parse a .cube file into a table (S, S, S, 3) indexed [b, g, r]."""
    size, rows = None, []
    for raw in Path(path).read_text(encoding="ascii").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key = line.split()[0]
        if key == "LUT_3D_SIZE":
            size = int(line.split()[1])
        elif key[0].isdigit() or key[0] in "-.":
            rows.append([float(v) for v in line.split()])
    if size is None or len(rows) != size**3:
        raise MLError(f"not a valid 3D .cube file: {path}")
    return np.asarray(rows, dtype=np.float32).reshape(size, size, size, 3)

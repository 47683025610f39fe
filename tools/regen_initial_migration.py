"""Regenerate migration 0001 from the models (only while no database outside tests uses it).

Run from the repository root: `python tools/regen_initial_migration.py`.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ema_server.db.migrate import revision

VERSIONS = Path(__file__).resolve().parent.parent / "ema_server" / "db" / "migrations" / "versions"


def main() -> None:
    target = VERSIONS / "0001_initial_schema.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        revision(f"sqlite+aiosqlite:///{tmp}/gen.db", "initial schema")
    generated = next(p for p in VERSIONS.glob("*_initial_schema.py") if p.name != target.name)
    rev = generated.name.split("_")[0]
    text = generated.read_text().replace(rev, "0001")
    text = text.replace(
        "from alembic import op\n",
        "from alembic import op\n\nimport ema_server.db.models.base\nfrom ema_server.db.audit import append_only_guards\n",
        1,
    )
    text = re.sub(
        r"    # ### end Alembic commands ###\n\n\ndef downgrade",
        "    # ### end Alembic commands ###\n    for statement in append_only_guards(op.get_bind().dialect.name):\n"
        "        op.execute(statement)\n\n\ndef downgrade",
        text,
        count=1,
    )
    target.write_text(text)
    generated.unlink()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

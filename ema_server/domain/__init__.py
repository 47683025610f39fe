"""Rules of the EMA domain with no I/O: roles, deadlines, identifiers, search folding."""

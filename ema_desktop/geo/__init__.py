"""Geography for the device map: the offline basemap of Czechia and its map projection (no widgets)."""

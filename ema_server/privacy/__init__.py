"""Data-protection workflows behind the privacy pane: subject lookup, access packages, erasure,
restriction, consent, legal holds, retention and the recipients of customers' data."""
